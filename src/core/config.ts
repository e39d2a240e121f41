/** The settings core reads, taken from the app's configuration once per process. */
export interface CoreConfig {
  /** First admins: e-mails or `platform:userId`. */
  admins: readonly string[];
  localMode: boolean;
}
