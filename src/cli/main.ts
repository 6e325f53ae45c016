import { Command, Option } from 'commander';
import { VERSION } from '../version.ts';
import type { BillRunOptions } from './bill-run.command.ts';
import type { CabinetKeyOptions } from './cabinet-key.command.ts';
import type { GlobalOptions } from './runtime.ts';
import type { StaffKeyOptions } from './staff-key.command.ts';

// Each command loads its code when it runs, so `hisob --help` answers without loading the server,
// the database engine and the PDF and crypto libraries.

const program = new Command();
program
  .name('hisob')
  .description('hisob: customer information and billing for energy suppliers')
  .version(VERSION)
  .addOption(
    new Option('--database-url <url>', 'PostgreSQL URL; without it the embedded PGlite database is used').env(
      'DATABASE_URL',
    ),
  )
  .addOption(
    new Option('--data-dir <dir>', 'folder of the embedded PGlite database')
      .env('DATA_DIR')
      .default('./data'),
  );

program
  .command('serve')
  .description('start the web server (API, web UI, OpenAPI at /docs); migrates the database first')
  .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT').default('3000'))
  .addOption(
    new Option('--host <host>', 'interface to listen on (0.0.0.0 for all)').env('HOST').default('localhost'),
  )
  .option('--demo', 'load the demo data when the database is empty')
  .action(async (opts: { port: string; host: string; demo?: boolean }) => {
    const { runServe } = await import('./serve.command.ts');
    await runServe({ ...program.opts(), ...opts });
  });

program
  .command('migrate')
  .description('apply the SQL migrations that are not applied yet')
  .action(async () => {
    const { runMigrate } = await import('./migrate.command.ts');
    await runMigrate(program.opts());
  });

program
  .command('demo')
  .description(
    'replace all data with the demo data set (two suppliers, ~2,000 consumers, a year of readings)',
  )
  .option('--force', 'allow it on PostgreSQL (it deletes every consumer, bill and payment there)')
  .option('--seed <n>', 'seed of the generator', '1')
  .option('--consumers <n>', 'how many consumers (a smaller demo loads faster)', '2060')
  .action(async (opts: { force?: boolean; seed: string; consumers: string }) => {
    const { runDemo } = await import('./demo.command.ts');
    await runDemo({ ...program.opts(), ...opts });
  });

program
  .command('bill-run')
  .description(
    'bill the accounts of a supplier, region or district for a period (continues an unfinished run)',
  )
  .requiredOption('--period <YYYY-MM>', 'the period to bill')
  .option('--tenant <code>', 'supplier code (needed when there are several)')
  .option('--org <code>', 'org unit code: bill only this region or district')
  .option('--on <YYYY-MM-DD>', 'date of the run (default today in Tashkent)')
  .option('--close', 'close the period after billing every account (whole supplier only)')
  .option('--chunk <n>', 'accounts per transaction', '2000')
  .option('--workers <n>', 'transactions at a time (default 2 on PostgreSQL, 1 on PGlite)')
  .action(async (opts: Omit<BillRunOptions, keyof GlobalOptions>) => {
    const { runBillRun } = await import('./bill-run.command.ts');
    process.exitCode = await runBillRun({ ...program.opts(), ...opts });
  });

program
  .command('cabinet-key')
  .description(
    'issue a demo signing key (.pfx, local test CA) for the consumer of a contract, to sign in the cabinet',
  )
  .requiredOption('--contract <number>', 'contract number as issued (leading zeros count)')
  .option('--supplier <code>', 'supplier code (needed when the number exists at several)')
  .requiredOption('--out <file>', 'where to write the PKCS#12 file, e.g. key.pfx')
  .requiredOption('--password <password>', 'password of the key file (at least 6 characters)')
  .action(async (opts: Omit<CabinetKeyOptions, keyof GlobalOptions>) => {
    const { runCabinetKey } = await import('./cabinet-key.command.ts');
    process.exitCode = await runCabinetKey({ ...program.opts(), ...opts });
  });

program
  .command('staff-key')
  .description(
    'issue a demo personal signing key (.pfx, local test CA, with the PINFL) for a staff user, to confirm readings',
  )
  .requiredOption('--login <login>', 'the staff user’s login, e.g. operator.chilonzor')
  .option('--tenant <code>', 'supplier code the user must belong to')
  .requiredOption('--out <file>', 'where to write the PKCS#12 file, e.g. key.pfx')
  .requiredOption('--password <password>', 'password of the key file (at least 6 characters)')
  .action(async (opts: Omit<StaffKeyOptions, keyof GlobalOptions>) => {
    const { runStaffKey } = await import('./staff-key.command.ts');
    process.exitCode = await runStaffKey({ ...program.opts(), ...opts });
  });

const scenario = program.command('scenario').description('billing scenarios (billing-rules.md §12)');
scenario
  .command('run')
  .description('run a scenario file on an empty in-memory database and print the result as JSON')
  .argument('<file>', 'scenario JSON file')
  .action(async (file: string) => {
    const { runScenario } = await import('./scenario.command.ts');
    process.exitCode = await runScenario(file);
  });

await program.parseAsync(process.argv);
