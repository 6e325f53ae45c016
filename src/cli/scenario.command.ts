/** `hisob scenario run FILE`: the billing engine (issue 4) is not built yet; exit code 2. */
export async function runScenario(file: string): Promise<number> {
  process.stderr.write(`hisob scenario run ${file}: not implemented yet (the billing engine comes next)\n`);
  return 2;
}
