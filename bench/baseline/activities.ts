/** The baseline's only activity: does nothing, so what is measured is Temporal alone. */
export async function noop(): Promise<void> {}
