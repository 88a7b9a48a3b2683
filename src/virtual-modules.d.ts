/** The bundled sample as the build made it (scripts/lib/sample-snapshot.ts): a snapshot, or the CSV where none could be made. */
declare module 'virtual:sample-snapshot' {
  const sample: { url: string; snapshot: boolean };
  export default sample;
}
