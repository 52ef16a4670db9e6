// "1 tag", "3 tags": the one way a count and its noun are written in the wizard's sentences.
export const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
