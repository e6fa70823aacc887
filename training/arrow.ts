/**
 * Feature-matrix files: a Dataset as an Apache Arrow IPC file (one Float32 column per feature, null = missing)
 * and back. The catalog travels in the schema metadata so a file explains its own columns.
 */
import { readFile, writeFile } from 'node:fs/promises';
import {
  Field,
  Float32,
  Int16,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type Data,
  type Vector,
} from 'apache-arrow';
import type { StatGroup } from '../lib/domain.ts';
import { FEATURE_CATALOG } from './feature-catalog.ts';
import type { Dataset, DatasetRow } from './dataset.ts';

/** Columns before the features. */
const KEY_COLUMNS = ['player_id', 'as_of_season', 'group', 'label'] as const;

/** Nullable Float32 data; NaN marks null, and stays under the null slot so readers ignoring validity see NaN too. */
function floatData(values: Float32Array): Data<Float32> {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) nullCount++;
    else nullBitmap[i >> 3]! |= 1 << (i & 7);
  }
  return makeData({ type: new Float32(), length: values.length, nullCount, nullBitmap, data: values });
}

function featureField(name: string): Field {
  const spec = FEATURE_CATALOG.find((f) => f.name === name);
  const meta = spec
    ? new Map([
        ['label', spec.label],
        ['unit', spec.unit],
        ['source', spec.source],
      ])
    : null;
  return new Field(name, new Float32(), true, meta);
}

export function datasetToTable({ featureNames, rows, matrix }: Dataset): Table {
  const n = rows.length;
  const ncol = featureNames.length;
  if (matrix.length !== n * ncol) throw new Error(`matrix has ${matrix.length} values, expected ${n} x ${ncol}`);
  const fields = [
    new Field('player_id', new Int32(), false),
    new Field('as_of_season', new Int16(), false),
    new Field('group', new Utf8(), false),
    new Field('label', new Float32(), true),
    ...featureNames.map(featureField),
  ];
  const labels = Float32Array.from(rows, (r) => (r.label === null ? NaN : r.label));
  const children: Data[] = [
    makeData({ type: new Int32(), length: n, nullCount: 0, data: Int32Array.from(rows, (r) => r.playerId) }),
    makeData({ type: new Int16(), length: n, nullCount: 0, data: Int16Array.from(rows, (r) => r.asOfSeason) }),
    vectorFromArray(
      rows.map((r) => r.group),
      new Utf8(),
    ).data[0]!,
    floatData(labels),
  ];
  for (let c = 0; c < ncol; c++) {
    const column = new Float32Array(n);
    for (let r = 0; r < n; r++) column[r] = matrix[r * ncol + c]!;
    children.push(floatData(column));
  }
  const metadata = new Map([
    ['feature_names', JSON.stringify(featureNames)],
    ['feature_catalog', JSON.stringify(FEATURE_CATALOG.filter((f) => featureNames.includes(f.name)))],
  ]);
  const schema = new Schema(fields, metadata);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
  return new Table(schema, batch);
}

/** Visits every value of a Float32 column across its chunks; nulls arrive as NaN. */
function eachFloat(vector: Vector, visit: (row: number, value: number) => void): void {
  let row = 0;
  for (const data of vector.data) {
    const values = data.values as Float32Array;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    for (let i = 0; i < data.length; i++, row++) {
      const bit = data.offset + i;
      visit(row, bitmap && !((bitmap[bit >> 3]! >> (bit & 7)) & 1) ? NaN : values[i]!);
    }
  }
}

function column(table: Table, name: string): Vector {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`feature matrix has no column ${name}`);
  return vector;
}

export function tableToDataset(table: Table): Dataset {
  const meta = table.schema.metadata.get('feature_names');
  const featureNames: string[] = meta
    ? (JSON.parse(meta) as string[])
    : table.schema.fields.map((f) => f.name).filter((name) => !(KEY_COLUMNS as readonly string[]).includes(name));
  const n = table.numRows;
  const ncol = featureNames.length;
  const ids = column(table, 'player_id').toArray() as Int32Array;
  const seasons = column(table, 'as_of_season').toArray() as Int16Array;
  const groups = column(table, 'group');
  const labels = new Float32Array(n);
  eachFloat(column(table, 'label'), (r, x) => (labels[r] = x));
  const rows = Array.from({ length: n }, (_, r): DatasetRow => {
    const label = labels[r]!;
    return {
      playerId: ids[r]!,
      asOfSeason: seasons[r]!,
      group: groups.get(r) as StatGroup,
      label: Number.isNaN(label) ? null : label === 1 ? 1 : 0,
    };
  });
  const matrix = new Float32Array(n * ncol);
  featureNames.forEach((name, c) => eachFloat(column(table, name), (r, x) => (matrix[r * ncol + c] = x)));
  return { featureNames, rows, matrix };
}

export async function writeFeatureMatrix(path: string, dataset: Dataset): Promise<void> {
  await writeFile(path, tableToIPC(datasetToTable(dataset), 'file'));
}

export async function readFeatureMatrix(path: string): Promise<Dataset> {
  return tableToDataset(tableFromIPC(await readFile(path)));
}
