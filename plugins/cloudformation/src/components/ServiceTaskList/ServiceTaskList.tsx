import { useEffect, useState } from 'react';
import { Button, ButtonGroup } from '@material-ui/core';
import {
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  scaffolderApiRef,
  type ScaffolderTask,
} from '@backstage/plugin-scaffolder-react';
import { subjectOfTask } from './serviceOfTask';

/** Props of {@link ServiceTaskList}. @public */
export interface ServiceTaskListProps {
  /** Path of a task's page, given its id (default: `./<id>`, beside this list). */
  taskPath?(taskId: string): string;
}

/**
 * The scaffolder's task list by service: which service each task created or changed (from its
 * parameters), its environment, the template, status and when and by whom it was started.
 * Backstage's own list shows only task ids and template titles.
 *
 * @public
 */
export function ServiceTaskList(props: ServiceTaskListProps) {
  const taskPath = props.taskPath ?? ((id: string) => `./${id}`);
  const scaffolder = useApi(scaffolderApiRef);
  const [ownership, setOwnership] = useState<'owned' | 'all'>('owned');
  const [page, setPage] = useState(0);
  const [limit, setLimit] = useState(10);
  const [state, setState] = useState<
    | { loading: true }
    | { loading: false; error: Error }
    | {
        loading: false;
        value: { tasks: ScaffolderTask[]; totalTasks?: number };
      }
  >({ loading: true });

  useEffect(() => {
    let current = true;
    setState({ loading: true });
    (scaffolder.listTasks
      ? scaffolder.listTasks({
          filterByOwnership: ownership,
          limit,
          offset: page * limit,
        })
      : Promise.resolve({ tasks: [], totalTasks: 0 })
    ).then(
      value => current && setState({ loading: false, value }),
      error => current && setState({ loading: false, error }),
    );
    return () => {
      current = false;
    };
  }, [scaffolder, ownership, limit, page]);
  if ('error' in state) return <ResponseErrorPanel error={state.error} />;
  const value = 'value' in state ? state.value : undefined;

  const columns: TableColumn<ScaffolderTask>[] = [
    {
      title: 'Service',
      render: task => (
        <Link to={taskPath(task.id)}>
          {subjectOfTask(task).service ?? `Task ${task.id}`}
        </Link>
      ),
    },
    {
      title: 'Environment',
      render: task => subjectOfTask(task).environment ?? '',
    },
    { title: 'Template', render: task => subjectOfTask(task).template },
    { title: 'Status', field: 'status' },
    {
      title: 'Started',
      render: task => new Date(task.createdAt).toLocaleString(),
    },
    { title: 'Started by', render: task => task.spec.user?.ref ?? '' },
    { title: 'Task id', field: 'id' },
  ];

  return (
    <>
      <ButtonGroup size="small" aria-label="Which tasks">
        {(['owned', 'all'] as const).map(choice => (
          <Button
            key={choice}
            color={ownership === choice ? 'primary' : 'default'}
            variant={ownership === choice ? 'contained' : 'outlined'}
            onClick={() => {
              setPage(0);
              setOwnership(choice);
            }}
          >
            {choice === 'owned' ? 'My tasks' : 'All tasks'}
          </Button>
        ))}
      </ButtonGroup>
      {state.loading ? (
        <Progress />
      ) : (
        <Table<ScaffolderTask>
          title="Tasks by service"
          columns={columns}
          data={value?.tasks ?? []}
          page={page}
          totalCount={value?.totalTasks ?? value?.tasks.length ?? 0}
          onPageChange={setPage}
          onRowsPerPageChange={size => {
            setPage(0);
            setLimit(size);
          }}
          options={{
            pageSize: limit,
            emptyRowsWhenPaging: false,
            search: false,
          }}
        />
      )}
    </>
  );
}
