/** The micro word tokenizer as a ClipModel batch tokenizer (int64 ids and mask, fixed length). */
import { type MicroTokenizer, toBigInt64 } from '../../text/tokenizer.ts';
import type { BatchTokenizer } from '../../zoo/clip/ClipModel.ts';

export function microTokenize(tok: MicroTokenizer): BatchTokenizer {
  return (texts) => {
    const e = tok.encodeBatch(texts);
    return { ids: toBigInt64(e.ids), attentionMask: toBigInt64(e.attentionMask), length: e.contextLength };
  };
}
