// Types for the `bencode` npm package (4.0.1), used only as a reference encoder in tests. It ships no
// types and its "exports" offer only an "import" condition, which CommonJS resolution does not see;
// Jest maps it to its file (jest.config.js).
declare module 'bencode' {
  const bencode: {
    encode(value: unknown): Uint8Array;
    decode(data: Uint8Array): unknown;
  };
  export default bencode;
}
