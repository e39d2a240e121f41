/** What the digest keeps: the days already posted, and the chart images it links to. */
export interface DigestsTable {
  day: string;
  created_at: Date;
}

export interface ChartsTable {
  id: string;
  content_type: string;
  data: Buffer;
  created_at: Date;
}

export interface StatsTables {
  digests: DigestsTable;
  charts: ChartsTable;
}
