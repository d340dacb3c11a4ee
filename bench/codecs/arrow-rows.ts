/**
 * arrow-rows: Apache Arrow read as an application that needs objects uses it: the IPC file that
 * `arrow` writes, read with tableFromIPC, then one JavaScript tuple built per row from the
 * column vectors (the Float64 and Uint64 values, the Utf8 strings decoded). `arrow` returns the
 * vectors themselves, whose strings and BigInts are decoded only when read; this is the cost of
 * reading them all into rows, beside it.
 *
 * Other datasets: the same, generically: the table checked against the schema (mapping/arrow.ts),
 * then each record built in the dataset's in-memory form from the columns (bench/data/columns.ts
 * rowsOf: objects, arrays for tuples, typed arrays for vectors, BigInts, enum symbols, null for an
 * absent optional).
 *
 * Its file is `arrow`'s, written by `arrow`'s dump (the same code, the same bytes): `dumpBy`
 * says so, and the suite runs no dump case of its own (its loads read `arrow`'s dump file; the
 * tables show its dump as `arrow`'s).
 */
import { readFile } from 'node:fs/promises';
import type { Codec, LoadedData, Tuple } from '../types.js';
import { ARROW_CARRIES, arrow, arrowLib, bindArrow, checkArrowTable, writeArrowFile } from './arrow.js';
import { checkArrowIpc } from './arrow-ipc-check.js';
import { withCodecContext } from './errors.js';
import { tuplesOr } from './bind.js';

const NAME = 'arrow-rows';

export const arrowRows: Codec = {
  name: NAME,
  kind: 'whole',
  returns: 'rows',
  dumpBy: 'arrow',
  extension: arrow.extension,
  description: `arrow's IPC file (written by arrow's dump) read with apache-arrow tableFromIPC, then one tuple built per row from the column vectors (Float64 and Uint64 values, Utf8 strings decoded): what an application that needs objects pays. ${ARROW_CARRIES} Rows built in the dataset's in-memory form.`,
  packages: ['apache-arrow'],
  init: () => arrow.init!(),
  forDataset: (dataset) =>
    tuplesOr(arrowRows, dataset, (schema) =>
      bindArrow(schema, writeArrowFile, (path, m) =>
        withCodecContext(NAME, path, async () => {
          const lib = await arrowLib();
          await checkArrowIpc(path, 'file'); // the library trusts the file: arrow-ipc-check.ts
          return m.rows(lib.tableFromIPC(await readFile(path)), NAME, path) as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
        }),
      ),
    ),
  dump: (data, path) => arrow.dump(data, path),
  load(path) {
    return withCodecContext(NAME, path, async () => {
      const lib = await arrowLib();
      await checkArrowIpc(path, 'file'); // the library trusts the file: arrow-ipc-check.ts
      const { table } = checkArrowTable(lib, lib.tableFromIPC(await readFile(path)), NAME, path);
      const rows = new Array<Tuple>(table.numRows);
      let i = 0;
      for (const batch of table.batches) {
        const f = batch.getChild('f')!;
        const s = batch.getChild('s')!;
        const u = batch.getChild('u')!;
        for (let r = 0; r < batch.numRows; r++) rows[i++] = [f.get(r)!, s.get(r)!, u.get(r)!];
      }
      return rows;
    });
  },
};
