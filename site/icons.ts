/** The app icon as PNG (the manifest and OpenGraph want raster images), drawn and encoded without dependencies. */
import { crc32, deflateSync } from 'node:zlib';

const WINE = [0x6b, 0x1f, 0x3a] as const;
const PAPER = [0xfb, 0xfa, 0xf7] as const;
const SEAM = [0xb0, 0x41, 0x3e] as const;

export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    // Filter type 0 (none) per scanline.
    raw[y * (width * 4 + 1)] = 0;
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A baseball on wine red, full bleed so it also works as a maskable icon; 4x supersampled edges. */
export function iconPng(size: number): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  const c = size / 2;
  const r = size * 0.3;
  const seamR = r * 0.95;
  const seamOffset = r * 1.32;
  const colorAt = (x: number, y: number): readonly [number, number, number] => {
    const d = Math.hypot(x - c, y - c);
    if (d > r) return WINE;
    for (const side of [-1, 1]) {
      const s = Math.hypot(x - (c + side * seamOffset), y - c);
      if (Math.abs(s - seamR) < r * 0.05) return SEAM;
    }
    return PAPER;
  };
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < 2; sy++) {
        for (let sx = 0; sx < 2; sx++) {
          const color = colorAt(px + 0.25 + sx * 0.5, py + 0.25 + sy * 0.5);
          for (let k = 0; k < 3; k++) sum[k]! += color[k]!;
        }
      }
      const at = (py * size + px) * 4;
      rgba.set([sum[0]! / 4, sum[1]! / 4, sum[2]! / 4, 255], at);
    }
  }
  return encodePng(size, size, rgba);
}
