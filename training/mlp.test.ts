/** The tfjs challenger learns a simple signal on the wasm backend and rebuilds itself from its JSON weights. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.ts';
import { rocAuc } from './metrics.ts';
import { loadMlp, trainMlp, type MlpWeights } from './mlp.ts';
import { labelsOf, rowsOf, takeRows } from './model.ts';
import { mulberry32 as prng } from '../lib/random.ts';

/** Success from two features (one of them often missing, with missingness that matters) and a noise column. */
function syntheticDataset(): Dataset {
  const random = prng(9);
  const rows: Dataset['rows'] = [];
  const values: number[] = [];
  for (let season = 2010; season <= 2014; season++) {
    for (let i = 0; i < 1200; i++) {
      const [a, b] = [random() * 2 - 1, 100 + 50 * (random() * 2 - 1)];
      const missing = random() < 0.4;
      const z = -2.5 + 2.5 * a + (missing ? 0 : 0.03 * (b - 100)) + (missing ? -1 : 0);
      rows.push({
        playerId: i,
        asOfSeason: season,
        group: 'pitching',
        label: random() < 1 / (1 + Math.exp(-z)) ? 1 : 0,
      });
      values.push(a, missing ? Number.NaN : b, random());
    }
  }
  return { featureNames: ['a', 'b', 'noise'], rows, matrix: Float32Array.from(values) };
}

describe('trainMlp', () => {
  const dataset = syntheticDataset();

  it('learns the signal on the wasm backend, and its JSON weights predict identically', async () => {
    const epochs: number[] = [];
    const mlp = await trainMlp({
      dataset,
      trainSeasons: [2010, 2011, 2012],
      validationSeason: 2013,
      maxEpochs: 15,
      onEpoch: (e) => epochs.push(e),
    });
    expect(tf.getBackend()).toBe('wasm');
    expect(epochs.length).toBeGreaterThan(0);
    expect(mlp.metrics?.validation.rocAuc).toBeGreaterThan(0.75);
    expect(mlp.weights.layers.map((l) => [l.inputs, l.outputs])).toEqual([
      [4, 64],
      [64, 32],
      [32, 1],
    ]);

    const test = rowsOf(dataset, [2014]);
    const matrix = takeRows(dataset, test);
    const probabilities = mlp.predict(matrix);
    expect(rocAuc(labelsOf(dataset, test), probabilities)).toBeGreaterThan(0.75);
    expect(probabilities.every((p) => p > 0 && p < 1)).toBe(true);

    const copy = await loadMlp(JSON.parse(JSON.stringify(mlp.weights)) as MlpWeights);
    expect(copy.predict(matrix)).toEqual(probabilities);
  });

  it('refuses a validation season without both outcomes', async () => {
    await expect(trainMlp({ dataset, trainSeasons: [2010], validationSeason: 2020 })).rejects.toThrow(
      /validation season 2020 has no rows/,
    );
  });
});
