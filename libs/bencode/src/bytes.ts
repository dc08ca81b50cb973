// The ASCII bytes bencode is made of.
export const DIGIT_0 = 0x30;
export const DIGIT_9 = 0x39;
export const COLON = 0x3a;
export const MINUS = 0x2d;
export const LETTER_D = 0x64;
export const LETTER_E = 0x65;
export const LETTER_I = 0x69;
export const LETTER_L = 0x6c;

export function isDigit(byte: number): boolean {
  return byte >= DIGIT_0 && byte <= DIGIT_9;
}
