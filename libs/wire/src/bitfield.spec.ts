import fc from 'fast-check';
import { Bitfield } from './bitfield';

describe('Bitfield', () => {
  it('numbers pieces from the high bit of the first byte (BEP 3)', () => {
    const bitfield = new Bitfield(10);
    bitfield.set(0);
    bitfield.set(9);
    expect(bitfield.toWire()).toEqual(Buffer.from([0x80, 0x40]));
    expect(bitfield.has(0) && bitfield.has(9) && !bitfield.has(1)).toBe(true);
    expect(bitfield.count).toBe(2);
  });

  it('keeps count in step with set and clear', () => {
    const bitfield = new Bitfield(3);
    expect(bitfield.set(1)).toBe(true);
    expect(bitfield.set(1)).toBe(false);
    expect(bitfield.count).toBe(1);
    expect(bitfield.clear(1)).toBe(true);
    expect(bitfield.clear(1)).toBe(false);
    expect(bitfield.isEmpty).toBe(true);
  });

  it('counts and round-trips any valid wire bitfield', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 300, size: 'max' }), (pieces) => {
        const bitfield = new Bitfield(pieces.length);
        pieces.forEach((have, index) => have && bitfield.set(index));
        const parsed = Bitfield.fromWire(bitfield.toWire(), pieces.length);
        expect(parsed.count).toBe(pieces.filter(Boolean).length);
        expect(pieces.every((have, index) => parsed.has(index) === have)).toBe(true);
        expect(parsed.isFull).toBe(pieces.every(Boolean));
      }),
    );
  });

  it('makes a full bitfield with clean spare bits', () => {
    const full = Bitfield.full(11);
    expect(full.isFull).toBe(true);
    expect(full.count).toBe(11);
    expect(full.toWire()).toEqual(Buffer.from([0xff, 0xe0]));
    expect(Bitfield.full(0).isFull).toBe(true);
  });

  it('refuses a wire bitfield with spare bits set or the wrong size', () => {
    expect(() => Bitfield.fromWire(Buffer.from([0xff, 0xf0]), 11)).toThrow(expect.objectContaining({ reason: 'bad-bitfield' }));
    expect(() => Bitfield.fromWire(Buffer.from([0xff]), 11)).toThrow(expect.objectContaining({ reason: 'bad-bitfield' }));
    expect(() => Bitfield.fromWire(Buffer.from([0xff, 0xe0, 0]), 11)).toThrow(expect.objectContaining({ reason: 'bad-bitfield' }));
    expect(Bitfield.fromWire(Buffer.from([0xff, 0xe0]), 11).isFull).toBe(true);
  });

  it('refuses indices outside the bitfield', () => {
    const bitfield = new Bitfield(8);
    expect(() => bitfield.has(8)).toThrow(expect.objectContaining({ reason: 'bad-argument' }));
    expect(() => bitfield.set(-1)).toThrow(expect.objectContaining({ reason: 'bad-argument' }));
    expect(() => new Bitfield(1.5)).toThrow(expect.objectContaining({ reason: 'bad-argument' }));
  });
});
