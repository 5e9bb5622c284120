export { addButtonLabel, LabelledListField } from './LabelledListField';
export type {
  LabelledListFieldProps,
  LabelledListOptions,
} from './LabelledListField';

/** The name templates use: `ui:field: LabelledListField` on an array. */
export const LABELLED_LIST_FIELD = 'LabelledListField';
