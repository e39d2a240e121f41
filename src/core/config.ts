/** The settings core reads, taken from the app's configuration once per process. */
export interface CoreConfig {
  /** First admins: e-mails or `platform:userId`. */
  admins: readonly string[];
  localMode: boolean;
  /** Base URL of this server as people reach it (download links); undefined when unknown. */
  publicUrl?: string | undefined;
}
