import {
  Checkbox,
  FormControl,
  InputLabel,
  ListItemText,
  MenuItem,
  Select,
} from '@material-ui/core';

/** A labelled multi-select; an empty selection means "no filter". */
export function MultiSelectFilter(props: {
  label: string;
  options: readonly string[];
  selected: string[];
  onChange: (selected: string[]) => void;
}) {
  const id = `policy-filter-${props.label.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <FormControl style={{ minWidth: 160 }} size="small">
      <InputLabel id={id}>{props.label}</InputLabel>
      <Select
        labelId={id}
        multiple
        value={props.selected}
        onChange={event => props.onChange(event.target.value as string[])}
        renderValue={value => (value as string[]).join(', ')}
      >
        {props.options.map(option => (
          <MenuItem key={option} value={option}>
            <Checkbox size="small" checked={props.selected.includes(option)} />
            <ListItemText primary={option} />
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}
