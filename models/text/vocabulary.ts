/**
 * micro-CLIP's word vocabulary: tokens and their ids, JSON in and out.
 *
 * Id layout mirrors CLIP's: <pad> = 0, <unk> = 1, punctuation, words (sorted), then <sot> and
 * <eot> as the two highest ids — so "pool at argmax(input_ids)", as public CLIP exports do, finds
 * the end token. The list itself is built from the Microworld grammars by buildVocabulary.ts and
 * committed as vocab.json (so the browser bundle never needs the generators).
 */
export const SPECIALS = { pad: '<pad>', unk: '<unk>', sot: '<sot>', eot: '<eot>' } as const;
export const PUNCTUATION = ['.', ',', '?', '!', ':', ';', "'", '"', '-', '(', ')', '/', '&'] as const;

export interface VocabularyJson {
  format: 'atelier-word-vocab';
  version: 1;
  specials: typeof SPECIALS;
  tokens: string[];
}

export class Vocabulary {
  readonly tokens: readonly string[];
  private readonly index: Map<string, number>;
  readonly padId: number;
  readonly unkId: number;
  readonly sotId: number;
  readonly eotId: number;

  constructor(tokens: readonly string[]) {
    this.tokens = tokens;
    this.index = new Map(tokens.map((t, i) => [t, i]));
    if (this.index.size !== tokens.length) throw new Error('vocabulary has duplicate tokens');
    const id = (t: string): number => {
      const i = this.index.get(t);
      if (i === undefined) throw new Error(`vocabulary lacks special token ${t}`);
      return i;
    };
    this.padId = id(SPECIALS.pad);
    this.unkId = id(SPECIALS.unk);
    this.sotId = id(SPECIALS.sot);
    this.eotId = id(SPECIALS.eot);
  }

  get size(): number {
    return this.tokens.length;
  }

  /** Id of a normalized token, or undefined when it is not in the vocabulary. */
  lookup(token: string): number | undefined {
    return this.index.get(token);
  }

  toJSON(): VocabularyJson {
    return { format: 'atelier-word-vocab', version: 1, specials: SPECIALS, tokens: [...this.tokens] };
  }

  static fromJSON(json: VocabularyJson): Vocabulary {
    if (json.format !== 'atelier-word-vocab' || json.version !== 1 || !Array.isArray(json.tokens)) {
      throw new Error('not an atelier word vocabulary (format/version mismatch)');
    }
    return new Vocabulary(json.tokens);
  }
}
