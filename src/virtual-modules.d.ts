/** The bundled sample as the build made it (scripts/lib/sample-snapshot.ts): a snapshot, or the CSV where none could be made. */
declare module 'virtual:sample-snapshot' {
  const sample: { url: string; snapshot: boolean };
  export default sample;
}

/** The Overview's first figures on the bundled snapshot (`FirstFigures` as tagged JSON), or null where the sample ships as its CSV. */
declare module 'virtual:sample-first-figures' {
  const figures: string | null;
  export default figures;
}
