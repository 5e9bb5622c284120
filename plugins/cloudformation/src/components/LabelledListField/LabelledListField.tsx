import type { ComponentType, ReactNode } from 'react';
import { Box, Button, Paper } from '@material-ui/core';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';

/** `ui:options` of `ui:field: LabelledListField`. */
export type LabelledListOptions = {
  /** The add button's text, e.g. "Add a public subnet" (default: "Add" and the items' title). */
  addLabel?: string;
};

/** Props of {@link LabelledListField}. @public */
export type LabelledListFieldProps = FieldExtensionComponentProps<
  unknown[],
  LabelledListOptions
>;

/** The part of RJSF's array-template props this template reads. */
type ListTemplateProps = {
  canAdd?: boolean;
  disabled?: boolean;
  readonly?: boolean;
  onAddClick(event?: unknown): void;
  items: Array<{ key: string; children: ReactNode }>;
  title?: string;
  schema: { description?: string; items?: { title?: string } };
  uiSchema?: { 'ui:options'?: LabelledListOptions; 'ui:title'?: string };
  registry: {
    templates: Record<string, ComponentType<Record<string, unknown>>>;
  };
  idSchema: { $id: string };
  required?: boolean;
};

/** Add-button text: the template's words, else "Add" and the item's title in lower case. */
export function addButtonLabel(
  options: LabelledListOptions | undefined,
  itemTitle: string | undefined,
): string {
  if (options?.addLabel) return options.addLabel;
  return itemTitle ? `Add ${itemTitle.toLowerCase()}` : 'Add an item';
}

/** RJSF's Material UI array layout, with an add button that says what it adds. */
function LabelledListTemplate(props: ListTemplateProps) {
  const { registry, uiSchema, schema } = props;
  const Title = registry.templates.ArrayFieldTitleTemplate;
  const Description = registry.templates.ArrayFieldDescriptionTemplate;
  const Item = registry.templates.ArrayFieldItemTemplate;
  return (
    <Paper elevation={2}>
      <Box p={2}>
        <Title
          idSchema={props.idSchema}
          title={uiSchema?.['ui:title'] ?? props.title}
          schema={schema}
          uiSchema={uiSchema}
          required={props.required}
          registry={registry}
        />
        <Description
          idSchema={props.idSchema}
          description={schema.description}
          schema={schema}
          uiSchema={uiSchema}
          registry={registry}
        />
        {props.items.map(({ key, ...item }) => (
          <Item key={key} {...item} />
        ))}
        {props.canAdd && (
          <Box mt={2} display="flex" justifyContent="flex-end">
            <Button
              className="array-item-add"
              color="primary"
              variant="outlined"
              onClick={event => props.onAddClick(event)}
              disabled={props.disabled || props.readonly}
            >
              {addButtonLabel(uiSchema?.['ui:options'], schema.items?.title)}
            </Button>
          </Box>
        )}
      </Box>
    </Paper>
  );
}

/**
 * Form field for `ui:field: LabelledListField` on an array: the form's own array field, whose
 * add button carries text ("Add a public subnet") instead of a bare "+". Items keep their own
 * `ui:field`s.
 *
 * @public
 */
export function LabelledListField(props: LabelledListFieldProps) {
  const { registry, uiSchema } = props as unknown as {
    registry: {
      fields: { ArrayField: ComponentType<Record<string, unknown>> };
    };
    uiSchema?: Record<string, unknown>;
  };
  const ArrayField = registry.fields.ArrayField;
  return (
    <ArrayField
      {...props}
      uiSchema={{
        ...uiSchema,
        'ui:field': undefined,
        'ui:ArrayFieldTemplate': LabelledListTemplate,
      }}
    />
  );
}
