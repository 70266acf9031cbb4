// Types for scripts/security-scan.mjs (imported by tests).
export interface Finding {
  id: string
  severity: string
  confidence: string
  file: string
  location: string
  description: string
}
export declare function parseCsv(text: string): string[][]
export declare function findingsFromCsv(text: string): Finding[]
export declare function scan(input: string): Promise<{ checks: number; findings: Finding[]; fatalParseErrors: Array<{ file: string; message: string }>; high: Finding[] }>
export declare function main(argv?: string[]): Promise<number>
