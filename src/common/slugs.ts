import { randomInt } from 'node:crypto';

// Word lists in the spirit of Prefect's `coolname` slugs ("crimson-hedgehog").
const ADJECTIVES = [
  'amber', 'ancient', 'arrogant', 'azure', 'bold', 'brave', 'bright', 'brilliant', 'calm', 'careful', 'clever',
  'cobalt', 'crimson', 'cunning', 'curious', 'daring', 'dapper', 'eager', 'electric', 'elegant', 'emerald',
  'fancy', 'fearless', 'festive', 'fiery', 'gentle', 'giga', 'glorious', 'golden', 'graceful', 'granite', 'happy',
  'hilarious', 'honest', 'humble', 'icy', 'invisible', 'jolly', 'jovial', 'keen', 'lilac', 'loyal', 'lucky',
  'magenta', 'majestic', 'marvellous', 'mellow', 'merry', 'mighty', 'nimble', 'noble', 'olive', 'onyx', 'opal',
  'patient', 'pearl', 'placid', 'polite', 'proud', 'quick', 'quiet', 'radiant', 'rapid', 'russet', 'sage',
  'sapphire', 'scarlet', 'serene', 'shiny', 'silver', 'sincere', 'smiling', 'spiffy', 'spry', 'steady', 'stoic',
  'swift', 'tangerine', 'teal', 'tireless', 'tranquil', 'ultramarine', 'vagabond', 'valiant', 'vermilion',
  'vigilant', 'violet', 'vivid', 'wakeful', 'warm', 'whimsical', 'wise', 'witty', 'xanthic', 'zealous', 'zippy',
];
const ANIMALS = [
  'aardvark', 'albatross', 'alligator', 'alpaca', 'antelope', 'armadillo', 'badger', 'barracuda', 'beagle',
  'bear', 'beaver', 'bison', 'bobcat', 'buffalo', 'butterfly', 'camel', 'capybara', 'caribou', 'cheetah',
  'chipmunk', 'cicada', 'cobra', 'cougar', 'coyote', 'crane', 'cricket', 'crow', 'dingo', 'dolphin', 'donkey',
  'dove', 'dragon', 'eagle', 'eel', 'elk', 'falcon', 'ferret', 'finch', 'flamingo', 'fox', 'gazelle', 'gecko',
  'gibbon', 'giraffe', 'goose', 'gopher', 'griffin', 'hare', 'hawk', 'hedgehog', 'heron', 'hippo', 'hornet',
  'hyena', 'ibex', 'iguana', 'impala', 'jackal', 'jaguar', 'kangaroo', 'kestrel', 'kingfisher', 'koala',
  'lemming', 'lemur', 'leopard', 'llama', 'lobster', 'lynx', 'macaw', 'magpie', 'manatee', 'marmot', 'meerkat',
  'mink', 'mole', 'moose', 'narwhal', 'newt', 'ocelot', 'octopus', 'okapi', 'orca', 'otter', 'owl', 'panda',
  'panther', 'parrot', 'pelican', 'penguin', 'puffin', 'quail', 'rabbit', 'raccoon', 'raven', 'reindeer',
  'salamander', 'seal', 'shark', 'skunk', 'sloth', 'sparrow', 'squid', 'starfish', 'stork', 'swan', 'tapir',
  'tiger', 'toucan', 'turtle', 'vulture', 'walrus', 'weasel', 'whale', 'wolf', 'wombat', 'yak', 'zebra',
];

/** A random two-word slug, Prefect's default name for flow and task runs. */
export function randomSlug(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${ANIMALS[randomInt(ANIMALS.length)]}`;
}

/** Prefect's run-name rule: the given name, or a random slug when it is missing, null or empty. */
export function runName(name: string | null | undefined): string {
  return name || randomSlug();
}
