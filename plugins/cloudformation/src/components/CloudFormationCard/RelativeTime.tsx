const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "5 minutes ago", with the exact local time on hover and in `dateTime`. */
export function RelativeTime(props: { iso: string }) {
  const date = new Date(props.iso);
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const [unit, size] =
    UNITS.find(([, unitSeconds]) => Math.abs(seconds) >= unitSeconds) ??
    UNITS[UNITS.length - 1];
  const text = new Intl.RelativeTimeFormat(undefined, {
    numeric: 'auto',
  }).format(Math.round(seconds / size), unit);
  return (
    <time dateTime={props.iso} title={date.toLocaleString()}>
      {text}
    </time>
  );
}
