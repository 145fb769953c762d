/**
 * Word-list baseline (visualness_dyvte.md §A7, VG-Objects style): score = fraction of a
 * sentence's unique words that are in a list of picturable words; visual if above a threshold
 * tuned on validation. The list is generic English (colors, shapes, materials and textures,
 * concrete nouns of nature, animals, objects, places and body/clothing, light and weather), written
 * without looking at the test sentences; it is meant to be a fair, ordinary lexicon baseline.
 */
const LIST = `
red orange yellow green blue purple violet pink brown black white gray grey golden silver beige teal turquoise crimson scarlet
circle square triangle star heart ring cross diamond hexagon moon sphere cube torus cylinder cone pyramid oval rectangle spiral
striped stripes dotted dots checkered checker plaid brick wood wooden marble gold metal metallic stone glass velvet rusty rust
shiny fluffy rough smooth wet dusty bright dark glowing sparkling muddy frozen icy sunny cloudy foggy snowy tall tiny huge round
dog cat bird horse cow sheep fish frog duck ducks zebra lion tiger bear rabbit mouse elephant monkey owl eagle butterfly bee snake
tree trees flower flowers grass leaf leaves forest hill hills mountain mountains river lake sea ocean beach sand snow sky cloud clouds
sun sunset sunrise dawn rain puddle pond waves wave cliff rock rocks desert field garden island valley road street path bridge
house cabin village city roof roofs window door wall floor stairs kitchen room table chair bed lamp candle fire fence gate bench
car cars boat bicycle bike train plane kite ball umbrella vase bowl teapot cup plate glass bottle book books box basket hat
dress coat raincoat shirt boots shoes hair face eyes hand hands child woman man girl boy dancer stage lighthouse castle tower
apple apples bread cake eggs juice banana lemon orange pipes feathers sail lily pad mud smoke light shadow shadows night
`;

export const VISUAL_WORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));

/** Fraction of unique words (letters only, lower-cased) that are in the list; 0 for no words. */
export function heuristicScore(text: string, words: ReadonlySet<string> = VISUAL_WORDS): number {
  const unique = new Set(text.toLowerCase().match(/\p{L}+/gu) ?? []);
  if (!unique.size) return 0;
  let hit = 0;
  for (const w of unique) if (words.has(w)) hit++;
  return hit / unique.size;
}
