/**
 * WHAT A MEMBER CAN TEXT US — the whole vocabulary, as data.
 *
 * A reviewer who is not an engineer can read and change this file. The engine in `grammar.ts` only
 * follows what is written here.
 *
 * How a reply is read
 * -------------------
 * 1. Case, accents, emoji skin tones, extra spaces and punctuation do not matter: "YES!!", " yes " and
 *    "Yes." are the same reply. Curly apostrophes count as straight ones, and "dont", "cant", "im" are
 *    read as "don't", "can't", "i'm" (see `spellings`).
 * 2. A reply is cut into CLAUSES at punctuation, new lines and the words in `clauseBreaks` ("but",
 *    "and", …). "yes, but could use help" has the clauses "yes" and "could use help".
 * 3. Small typos are forgiven for the words in `forgivingWords`: one letter wrong, missing, extra, or
 *    two neighbours swapped ("graec", "pasue", "strugling"), for words of 4 letters or more. Letters
 *    held down are forgiven everywhere ("yesss", "noooo", "gooood"). Short words are never guessed, and
 *    the words in `neverGuess` are real words that must not be mistaken for a keyword ("gone" is not
 *    "done", "note" is not "nope"). A word one typo away from an opt-out word is only ever read as an
 *    opt-out, never as anything else.
 * 4. The `rules` below are tried IN ORDER, top to bottom. Words used by an earlier rule are taken: a
 *    later rule cannot use them again. That is how "not on track" is read as not-today before "on
 *    track" could be read as on-track.
 * 5. Every intent found is returned, in the order it appears in the message. Repeats are dropped
 *    ("yes 👍" is one on-track). Only the first win is kept.
 * 6. OPT-OUT WINS: if any stop rule matches, the answer is only [stop]. "yes stop" is therefore
 *    [stop]: opting out must work however it is said, and START undoes it. But the bare keywords
 *    (stop, end, quit, cancel) only count when their clause holds nothing else but filler words, so
 *    "I can't stop procrastinating", "stopped at 2 km" or "had to cancel my run" are not opt-outs.
 * 7. A message of only question marks ("?", "??") is help.
 * 8. Only the first 1,600 characters are read (the rest is ignored, even a STOP after them).
 *
 * How a pattern is written (the `say` lists)
 * ------------------------------------------
 *   move to friday     words that must follow each other
 *   yes|yeah|yep       any one of these words
 *   give_me            words joined by "_" go together ("give me")
 *   [my|the]           these words may be left out
 *   [my|the]*          these words may be left out or repeated (up to 4 words)
 *   <weekday>          a word from a list: the lists are in `wordLists` and the value tables below
 *   <count>            a number: 2, "two", "a" (1), "a couple of" (2), "a few" (3)
 *   <not>              "not", "don't": turns a mood around ("I'm not feeling great" → 2)
 *   <clock>            a time of day: "7:45", "07:45", "19:30", "7:45pm", "7am" (an hour alone is not a time)
 *   <clock-end>        a second time of day, where a span ends ("QUIET 22:00-06:30": 06:30)
 *   ...                the rest of the sentence (used for what a member needs)
 *
 * Where a pattern may stand (`where`)
 * -----------------------------------
 *   anywhere        anywhere in the message (the default)
 *   start           at the start of a clause
 *   end             at the end of a clause
 *   alone           the clause has nothing else but filler words ("please", "thanks", emoji, …)
 *   message-start   at the very start of the message
 * `unlessAfter` / `unlessBefore`: the rule does not apply when one of these words stands just before
 * (up to two words before) or just after it. `<negators>` stands for the whole `negators` list.
 *
 * Choices made here (documented for reviewers)
 * --------------------------------------------
 * - Dates: only ISO dates ("2026-12-03", the year is checked then dropped) and dates with a month name
 *   ("dec 3", "3 dec", "3rd of december", "December 3rd"). "12/3" is NOT read as a date: whether it is
 *   3 December or 12 March depends on the country, so we would rather ask than guess. "May" is only a
 *   month after "to/till/until/on/for/by" or in "3rd of may" ("I may 3…" is not a date).
 * - Mood scale: 1 awful · 2 low · 3 meh · 4 good · 5 great. "not great" is 2, "not bad" is 3.
 *   "ok" alone is NOT a mood, it is accept; "I'm ok" / "feeling ok" is 3.
 * - Pause without a number ("pause", "take a break") has no days: the caller picks its default.
 *   "pause 3" / "pause for 3 days" is 3; "pause a week" is 7; any positive whole number is passed on.
 * - "rough day" / "bad day" is not-today (the product offers grace or support, never a scolding).
 * - "help" alone is help (the list of commands); "help with X", "help me with X", "need X", "could use
 *   X", "can you X", "would love X" is a need.
 * - "sure", "ok", "okay", "👌" are accept; the engine decides by context whether that means "yes".
 * - "fine" alone is mood 4; "fine by me" is accept.
 * - A need's text keeps the member's own words and capitals, up to the end of the sentence, a comma or
 *   "but" ("could use help with the intro, thanks" → "help with the intro"). Words an earlier rule took
 *   end it too ("need to move my deadline to friday" is a deadline move, not a need).
 * - A win's text is the whole message (white space collapsed, at most 160 characters); after WIN at the
 *   start it is what follows WIN (the whole message when nothing does).
 * - An on-track emoji (👍 ✅ 💪) next to "ok", "on it", "no", a grace, a pause … is only a reaction and
 *   adds no on-track ("on it 👍" is [on_it]).
 * - Day-14 decision: CONTINUE / "keep going" / "let's continue" and TWEAK / "tweak it" only as the whole
 *   reply (with filler words). PAUSE stays the pause intent; the caller reads it as the pause choice.
 * - Tweaks are commands, read only as the whole reply: "TIME 7:45" (24-hour, or with am/pm; "7" alone is
 *   too ambiguous, impossible times such as "25:00" or "13pm" are not read), WEEKDAYS / "weekdays only",
 *   DAILY / "every day" / "daily please". GOAL only at the very start of the message: "GOAL run 5k"
 *   keeps "run 5k" (own words, at most 60 characters); "my goal is hard" is not a tweak.
 * - Quiet hours are a command at the very start of the message: "QUIET 22:00-06:30", "quiet 22:00 to
 *   6:30", "QUIET 10pm-7am", "quiet hours 21:30-07:00" (times read as for TIME; the span may cross
 *   midnight). Impossible times, or the same time twice ("quiet 22:00-22:00"), are not read.
 * - Explicit or inferred (issue 16, `evidence` on a rule): a reading is explicit when the member used the
 *   intent's own word or shape (NEED opening the message, WIN, PAUSE 3, MOVE/PUSH or the word deadline,
 *   MOOD 4, a bare digit); otherwise it is inferred, and a need, win, date or break that would reach
 *   someone or change the plan is asked about first (SEND or NO). A date in passing, a "finished" in a
 *   complaint and "would you like to …" are no reading at all (`droppedWhen`). See docs/conversation.md.
 * - Recall first: "stop texting me on weekends" or "don't text me before 9" IS an opt-out. Texting on
 *   would ignore what they asked; the stop confirmation tells them how to come back (START).
 */

/** A rule: a set of ways to say one thing. */
export interface Rule {
  /** What the rule means, in plain words. */
  readonly means: string;
  readonly intent:
    | 'on_track'
    | 'not_today'
    | 'grace'
    | 'need'
    | 'offer'
    | 'deadline_move'
    | 'win'
    | 'pause'
    | 'resume'
    | 'mood'
    | 'status'
    | 'help'
    | 'stop'
    | 'start'
    | 'join'
    | 'on_it'
    | 'accept'
    | 'decision'
    | 'tweak';
  /** For decision: which choice the rule means. */
  readonly choice?: 'continue' | 'tweak';
  /** For tweak: what is changed (a time comes from `<clock>`, a goal's text from what follows GOAL). */
  readonly tweak?: 'time' | 'quiet' | 'weekdays' | 'daily' | 'goal';
  /** The ways to say it (see "How a pattern is written"). */
  readonly say: readonly string[];
  readonly where?: 'anywhere' | 'start' | 'end' | 'alone' | 'message-start' | 'whole';
  /** Which filler words may stand around it when `where` is alone/start/end. */
  readonly fillers?: 'fillers' | 'stopFillers' | 'startFillers';
  readonly unlessAfter?: readonly string[];
  readonly unlessBefore?: readonly string[];
  /**
   * For need and win: which text is kept.
   * after-trigger: what follows the trigger ("need a pep talk" → "a pep talk");
   * from-trigger: the trigger too ("help with the intro" → "help with the intro");
   * message: the whole message; after-win: what follows the word WIN at the start;
   * after-goal: what follows GOAL at the start (the rest of the message is taken by the goal).
   */
  readonly text?: 'after-trigger' | 'from-trigger' | 'message' | 'after-win' | 'after-goal';
  /** The intent is dropped when the message also says one of these ("on it 👍" is on-it, not on-track). */
  readonly yieldsTo?: readonly Rule['intent'][];
  /**
   * How sure the reading is (see "Explicit and inferred evidence"):
   * explicit (the default): the member used the intent's own word or shape, it acts at once;
   * inferred: free text that merely contains it, confirmed before it reaches anyone or changes the plan;
   * explicit-at-message-start: explicit when it opens the message (only words already read, or "and",
   * may stand before it) and the message asks no question; for a need, what follows must be two words or
   * more and not "to …" ("need to charge my phone" is a to-do); inferred otherwise;
   * explicit-whole: explicit when the message holds nothing else unread and asks no question ("u ok?");
   * deadline: explicit when the message names the deadline (`deadlineNouns`) or starts with a move word,
   * inferred otherwise.
   */
  readonly evidence?: 'explicit' | 'inferred' | 'explicit-at-message-start' | 'explicit-whole' | 'deadline';
  /**
   * When an inferred reading is not a reading at all:
   * in-passing: its clause holds more than three other words ("I have to take exam with in march 3");
   * complaint: the message also complains (`complaintWords`: "shipped to the wrong address, wtf");
   * not-a-request: what follows "would you" is an invitation (`notRequests`: "would you like to …").
   */
  readonly droppedWhen?: readonly ('in-passing' | 'complaint' | 'not-a-request')[];
  /** For in-passing: how many other words the clause may hold (3 unless given). */
  readonly inPassingWords?: number;
}

/** Named word lists used in patterns as `<name>`. Words joined by "_" go together. */
export const wordLists = {
  /** Words that may stand around a short reply without changing it ("yes please", "done, thanks x"). */
  fillers: [
    'please',
    'pls',
    'plz',
    'thanks',
    'thank',
    'you',
    'thx',
    'ty',
    'tysm',
    'cheers',
    'just',
    'oh',
    'ah',
    'um',
    'umm',
    'erm',
    'hmm',
    'lol',
    'haha',
    'hehe',
    'x',
    'xx',
    'xxx',
    'xo',
    'hi',
    'hey',
    'hello',
    'yo',
    'today',
    'tonight',
    'really',
    'now',
    'again',
    'too',
    'still',
    'sorry',
  ],
  /** Extra words that may stand around an opt-out keyword: "I want to stop", "stop it now", "yes stop". */
  stopFillers: [
    'i',
    "i'd",
    "i'm",
    'want',
    'wanna',
    'would',
    'like',
    'to',
    'me',
    'it',
    'this',
    'all',
    'yes',
    'yeah',
    'y',
    'ok',
    'okay',
    'no',
    'already',
    'everything',
    'can',
    'said',
    'immediately',
    'asap',
    'right',
    'away',
    'forever',
    'stop',
    'end',
    'quit',
    'cancel',
    '🛑',
  ],
  /** Extra words that may stand around START: "yes start", "start again please". */
  startFillers: [
    'yes',
    'yeah',
    'y',
    'me',
    'back',
    'up',
    'ok',
    'okay',
    'i',
    'want',
    'wanna',
    'to',
    'would',
    'like',
    "i'd",
  ],
  /** Words that turn what follows into its opposite: "not finished", "haven't done it". */
  negators: [
    'not',
    'no',
    'never',
    "don't",
    "didn't",
    "haven't",
    "hasn't",
    "hadn't",
    "isn't",
    "wasn't",
    "won't",
    "can't",
    'cannot',
    "couldn't",
    "shouldn't",
    "wouldn't",
    "aren't",
    "weren't",
    "doesn't",
    'almost',
    'nearly',
    'barely',
    'without',
  ],
  /** Words that split a message into clauses (besides punctuation and new lines). */
  clauseBreaks: ['but', 'and', 'also', 'though', 'tho', 'although', 'however', 'plus', 'btw', 'ps', 'except'],
  /** Where the text of a need ends, besides punctuation (commas too) and new lines. */
  needBreaks: ['but', 'though', 'tho', 'although', 'however', 'btw', 'ps'],
  /** A need made only of these words is not a need ("I need to" + a deadline move). */
  needEmptyWords: [
    'to',
    'a',
    'an',
    'the',
    'some',
    'me',
    'my',
    'it',
    'of',
    'for',
    'with',
    'you',
    'i',
    'is',
    'this',
  ],

  // --- Opt-out ---
  /** Ways of contacting someone, after "stop …" ("stop texting me"). */
  contacting: [
    'texting',
    'txting',
    'texing',
    'messaging',
    'msging',
    'msgin',
    'contacting',
    'sending',
    'emailing',
    'calling',
    'bugging',
    'bothering',
    'pestering',
    'spamming',
    'harassing',
  ],
  /** The same, after "don't …" ("don't text me"). */
  contact: ['text', 'txt', 'message', 'msg', 'contact', 'email', 'call', 'sms', 'bother', 'spam'],
  /** The messages themselves ("no more texts"). */
  messages: [
    'texts',
    'text',
    'txts',
    'messages',
    'message',
    'msgs',
    'sms',
    'reminders',
    'notifications',
    'check_ins',
    'checkins',
    'emails',
    'spam',
  ],
  /** Opt-out keywords that stay opt-outs whatever surrounds them. */
  optOutWords: ['unsubscribe', 'stopall', 'optout', 'revoke'],

  // --- Deadlines ---
  /** Verbs that move a deadline. */
  move: [
    'move',
    'moving',
    'push',
    'pushing',
    'shift',
    'shifting',
    'change',
    'changing',
    'extend',
    'extending',
    'delay',
    'delaying',
    'postpone',
    'postponing',
    'reschedule',
    'rescheduling',
    'bump',
    'bumping',
    'slide',
  ],
  /** Words that may stand between the verb and the new date ("push my due date back …"). */
  deadlineWords: [
    'it',
    'my',
    'the',
    'this',
    'that',
    'our',
    'deadline',
    'due',
    'date',
    'goal',
    'target',
    'back',
    'out',
    'forward',
    'finish',
    'line',
    'one',
  ],
  /** Words that name the deadline: with one of them, a date or a move is an explicit deadline move. */
  deadlineNouns: ['deadline', 'deadlines', 'due', 'extension', 'extend'],
  /** Words of a complaint: a "shipped" or "finished" next to them is not a win ("shipped … wtf"). */
  complaintWords: [
    'ugh',
    'urgh',
    'argh',
    'wtf',
    'ffs',
    'fml',
    'smh',
    'damn',
    'dammit',
    'annoying',
    'annoyed',
    'sucks',
    'sucked',
    'hate',
    'poop',
    'crap',
    'wrong',
    'late',
    'broken',
    'lost',
    'stupid',
    'ridiculous',
    'seriously',
    'meh',
    'sigh',
    'oops',
    'ouch',
    'boring',
    'crashed',
    'tired',
    'sad',
  ],
  /** What may follow "would you" / "can you" in an invitation or a question, not a request for support. */
  notRequests: [
    'like',
    'believe',
    'imagine',
    'guess',
    'know',
    'see',
    'remember',
    'come',
    'join',
    'wanna',
    'want',
  ],
  /** "to friday", "till thursday", "'til mon". */
  to: ['to', 'till', 'til', 'until', 'for', 'on', 'into', 'onto', 'by'],
  /** "2 more days", "an extra week". */
  more: ['more', 'extra'],
  /** Things counted that make "march 3" not a date ("march 3 miles"). */
  countedThings: [
    'miles',
    'mile',
    'km',
    'kms',
    'k',
    'times',
    'hours',
    'hour',
    'hrs',
    'hr',
    'minutes',
    'minute',
    'mins',
    'min',
    'pages',
    'page',
    'reps',
    'words',
    'laps',
    'steps',
    'sets',
    'x',
    'people',
    'more',
  ],

  // --- Not today ---
  /** "I didn't", "couldn't", "can't". */
  cannot: [
    "didn't",
    "couldn't",
    "can't",
    'cannot',
    "haven't",
    "hadn't",
    "wasn't",
    "won't",
    'did_not',
    'could_not',
    'can_not',
    'have_not',
    'was_not',
    'will_not',
    'failed_to',
    'forgot_to',
  ],
  /** What may follow "I didn't …" for it to mean not-today: "didn't today", "couldn't do it". */
  cannotWhat: [
    'today',
    'it',
    'do',
    'make',
    'manage',
    'get',
    'finish',
    'start',
    'started',
    'work',
    'find',
    'yet',
    'this',
    'anything',
    'done',
    'go',
    'run',
    'write',
    'study',
    'practice',
    'practise',
    'exercise',
    'train',
    'focus',
    'again',
    'finished',
    'managed',
  ],

  // --- Mood ---
  /** Words that only make a mood stronger: "pretty good", "really awful", "a bit low". */
  intensifiers: [
    'pretty',
    'really',
    'very',
    'so',
    'quite',
    'super',
    'kinda',
    'kind_of',
    'sort_of',
    'a_bit',
    'bit',
    'a_little',
    'little',
    'fairly',
    'rather',
    'extremely',
    'totally',
    'bloody',
    'proper',
    'incredibly',
    'truly',
    'feeling',
  ],
} as const satisfies Record<string, readonly string[]>;

/** Weekdays, ISO numbers (Monday = 1). */
export const weekdays: Readonly<Record<string, number>> = {
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  tues: 2,
  wednesday: 3,
  wed: 3,
  weds: 3,
  thursday: 4,
  thu: 4,
  thur: 4,
  thurs: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
  sunday: 7,
  sun: 7,
};

/** Months by name. "May" is kept apart (`<may>`): it is also an everyday word. */
export const months: Readonly<Record<string, number>> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};

/** Numbers in words (`<count>`). "a week" is one week; "a couple of days" is 2; "a few days" is 3. */
export const countWords: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  a_couple_of: 2,
  a_couple: 2,
  couple_of: 2,
  couple: 2,
  a_few: 3,
  few: 3,
};

/** Lengths of time in days (`<unit>`): "2d", "3 days", "a week", "a fortnight". */
export const units: Readonly<Record<string, number>> = {
  d: 1,
  day: 1,
  days: 1,
  dy: 1,
  dys: 1,
  w: 7,
  wk: 7,
  wks: 7,
  week: 7,
  weeks: 7,
  fortnight: 14,
  fortnights: 14,
};

/**
 * Mood words (`<mood>`), on the scale 1 awful · 2 low · 3 meh · 4 good · 5 great.
 * They count alone ("meh") or after "feeling", "i feel", "i'm" ("feeling pretty good").
 * "not …" flips them: "not great" / "not ok" → 2, "not bad" / "not terrible" → 3.
 */
export const moodWords: Readonly<Record<string, 1 | 2 | 3 | 4 | 5>> = {
  awful: 1,
  terrible: 1,
  horrible: 1,
  horrendous: 1,
  dreadful: 1,
  miserable: 1,
  atrocious: 1,
  the_worst: 1,
  bad: 2,
  low: 2,
  sad: 2,
  rough: 2,
  lousy: 2,
  poor: 2,
  blah: 2,
  stressed: 2,
  anxious: 2,
  tired: 2,
  exhausted: 2,
  knackered: 2,
  shattered: 2,
  gutted: 2,
  rubbish: 2,
  crappy: 2,
  meh: 3,
  so_so: 3,
  okayish: 3,
  okish: 3,
  ok_ish: 3,
  okay_ish: 3,
  average: 3,
  middling: 3,
  mediocre: 3,
  fair: 3,
  good: 4,
  fine: 4,
  decent: 4,
  solid: 4,
  happy: 4,
  positive: 4,
  grand: 4,
  great: 5,
  amazing: 5,
  awesome: 5,
  fantastic: 5,
  excellent: 5,
  brilliant: 5,
  wonderful: 5,
  incredible: 5,
  superb: 5,
  fab: 5,
  fabulous: 5,
  ecstatic: 5,
  chuffed: 5,
};

/** Mood words that count only after "i'm" or "feeling" (`<mood-after-im>`): "I'm ok", "feeling alright". */
export const moodWordsAfterIm: Readonly<Record<string, 1 | 2 | 3 | 4 | 5>> = {
  ok: 3,
  okay: 3,
  alright: 3,
  all_right: 3,
  well: 4,
};

/** Mood words that count only after "feeling" / "i feel" (`<mood-after-feeling>`): "feeling down". */
export const moodWordsAfterFeeling: Readonly<Record<string, 1 | 2 | 3 | 4 | 5>> = {
  down: 2,
  blue: 2,
  off: 2,
  worse: 2,
  under_the_weather: 2,
  better: 4,
};

/** Words that may come before a mood word to make it "not …". */
export const moodNegators = ['not', 'not_too', 'not_so', 'not_very', 'not_that', 'not_feeling'] as const;

/**
 * Other spellings read as the word on the right (text-speak, missing apostrophes, common slips).
 * Only whole words are replaced.
 */
export const spellings: Readonly<Record<string, string>> = {
  // yes
  yse: 'yes',
  ys: 'yes',
  ye: 'yes',
  yess: 'yes',
  yeh: 'yeah',
  yeap: 'yep',
  yepp: 'yep',
  yupp: 'yup',
  // missing apostrophes
  cant: "can't",
  dont: "don't",
  didnt: "didn't",
  couldnt: "couldn't",
  havent: "haven't",
  hadnt: "hadn't",
  wasnt: "wasn't",
  wont: "won't",
  isnt: "isn't",
  doesnt: "doesn't",
  arent: "aren't",
  shouldnt: "shouldn't",
  wouldnt: "wouldn't",
  im: "i'm",
  ive: "i've",
  whats: "what's",
  whens: "when's",
  thats: "that's",
  // text-speak
  u: 'you',
  ur: 'your',
  r: 'are',
  gr8: 'great',
  brill: 'brilliant',
  okk: 'ok',
  okey: 'okay',
  thnx: 'thanks',
  thnks: 'thanks',
  tks: 'thanks',
  unsub: 'unsubscribe',
  stahp: 'stop',
};

/** The opt-out words forgiven a typo ("end" is too short to be). */
const optOutWords = ['stop', 'stopall', 'unsubscribe', 'cancel', 'revoke', 'optout', 'quit'] as const;

/**
 * Single words whose small typos are forgiven (4 letters or more): one letter wrong, missing, extra,
 * or two neighbours swapped. A slip that could be two different words is not guessed.
 */
export const forgivingWords: readonly string[] = [
  'yeah',
  'nope',
  'done',
  'grace',
  'graces',
  'pause',
  'unpause',
  'resume',
  'status',
  'tokens',
  'help',
  'info',
  'okay',
  'agreed',
  'behind',
  'struggling',
  'slipping',
  'procrastinating',
  'finished',
  'completed',
  'awful',
  'terrible',
  'horrible',
  'great',
  'good',
  'amazing',
  'awesome',
  'fantastic',
  'excellent',
  'brilliant',
  'wonderful',
  'feeling',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'deadline',
  'extend',
  'postpone',
  'reschedule',
  'delay',
  'track',
  'break',
  'start',
  'unstop',
  'restart',
  'continue',
  'tweak',
  'weekdays',
  // Opt-out words: a slip near one of these is only ever read as an opt-out.
  ...optOutWords,
];

/** The opt-out words: a slip near one of them is never read as anything else. */
export const optOutFamily: readonly string[] = [...optOutWords, 'end'];

/** Real words one slip away from a keyword: never "corrected" ("gone" is not "done"). */
export const neverGuess: readonly string[] = [
  'gone',
  'none',
  'bone',
  'cone',
  'dine',
  'dune',
  'dome',
  'tone',
  'lone',
  'hone',
  'zone',
  'node',
  'note',
  'nose',
  'hope',
  'rope',
  'pope',
  'mope',
  'grade',
  'grape',
  'grave',
  'graze',
  'trace',
  'brace',
  'race',
  'cause',
  'parse',
  'paused',
  'held',
  'hell',
  'kelp',
  'yelp',
  'hemp',
  'helm',
  'whelp',
  'step',
  'shop',
  'stow',
  'atop',
  'stomp',
  'slop',
  'stops',
  'quiet',
  'quite',
  'quiz',
  'quid',
  'quip',
  'suit',
  'quilt',
  'into',
  'year',
  'years',
  'treat',
  'greet',
  'groat',
  'food',
  'wood',
  'hood',
  'goof',
  'gold',
  'goad',
  'goods',
  'goody',
  'five',
  'fire',
  'line',
  'mine',
  'nine',
  'wine',
  'find',
  'tough',
  'cough',
  'dough',
  'truck',
  'trick',
  'tract',
  'crack',
  'stars',
  'star',
  'stare',
  'smart',
  'stark',
  'stat',
  'statue',
  'feeding',
  'peeling',
  'reeling',
  'keeling',
  'bleak',
  'freak',
  'creak',
  'wreak',
  'bream',
  'extent',
  'relay',
  'decay',
  'cancer',
  'sipping',
  'clipping',
  'flipping',
  'slapping',
  'competed',
  'pleased',
  'thinks',
  'agrees',
  'behold',
  'sunday',
];

/** Emoji that mean something. Emoji not listed here are ignored like filler words. */
export const emoji = {
  onTrack: ['👍', '✅', '💪', '✔', '☑', '✓', '🙌', '👏', '💯'],
  accept: ['👌', '🆗', '🤝'],
  win: ['🎉', '🥳', '🏆', '🎊', '🍾', '🏅', '🥇'],
  stop: ['🛑'],
} as const;

/**
 * THE RULES, in the order they are tried (earlier rules take their words first).
 */
export const rules: readonly Rule[] = [
  // ── STOP: the member no longer wants texts. Must be found however it is said (the law lets people
  // revoke consent by any reasonable means). But "I can't stop procrastinating" or "stopped at 2 km"
  // are about the goal, not opt-outs: the bare keyword only counts when its clause holds nothing else.
  {
    means:
      'Opt-out in words: "please stop texting me", "don\'t text me anymore", "remove me", "unsubscribe".',
    intent: 'stop',
    say: [
      'stop <contacting> me|us',
      'stop [all|the|these|those|your|sending]* <messages>',
      "don't|never|do_not <contact> me|us",
      'no more <messages>',
      '<optOutWords>',
      'opt out',
      'opt me out',
      'remove|delete|lose me|us',
      'remove|delete|lose my|our number|details|info',
      'take me|us|my_number off [this|the|your|ur|these|all|of] list|lists|texts|messages|reminders|here|it|this|that',
      'leave me|us alone',
      'wrong number',
      'cancel [my|the|this|these|your|all] subscription|membership|account|texts|messages|reminders',
      'i want out',
      'count me out',
      'withdraw [my] consent',
    ],
    unlessAfter: ["don't", 'never', 'not'],
  },
  {
    means:
      'The opt-out keywords on their own: STOP, END, QUIT, CANCEL ("Stop.", "STOP!!", "please stop", "I want to stop", "stop texting", "not interested").',
    intent: 'stop',
    say: ['stop|end|quit|cancel', '🛑', 'stop <contacting>', 'take me|us off', 'not interested'],
    where: 'alone',
    fillers: 'stopFillers',
  },

  // ── START: back in after an opt-out.
  {
    means: 'Opt back in: START, UNSTOP ("yes start", "start again").',
    intent: 'start',
    say: ['start|unstop|restart|resubscribe|subscribe', 'opt in', 'optin'],
    where: 'alone',
    fillers: 'startFillers',
  },

  // ── JOIN: yes to an invitation while already in another partnership (a YES answers the open check-in).
  {
    means:
      'Joining the partnership one was just invited to, while already in another: JOIN ("join", "join please").',
    intent: 'join',
    say: ['join'],
    where: 'alone',
    fillers: 'startFillers',
  },

  // ── GOAL first among the tweaks: the rest of the message is the goal's text, read by no other rule.
  {
    means:
      'A new goal: "GOAL run 5k three times a week" (the text is what follows GOAL, at most 60 characters).',
    intent: 'tweak',
    tweak: 'goal',
    say: ['goal'],
    where: 'message-start',
    text: 'after-goal',
  },

  // ── DAY-14 DECISION: keep going as is, or tweak the plan. (PAUSE is the pause intent.)
  {
    means: 'Keep going after Day 14: CONTINUE, "let\'s continue", "keep going".',
    intent: 'decision',
    choice: 'continue',
    say: ["[let's|lets|let_us] continue", 'keep going|on'],
    where: 'alone',
    fillers: 'startFillers',
  },
  {
    means: 'Change the plan after Day 14: TWEAK, "tweak it".',
    intent: 'decision',
    choice: 'tweak',
    say: ['tweak [it|things|something]'],
    where: 'alone',
    fillers: 'startFillers',
  },

  // ── TWEAKS: commands that change the plan, only as the whole reply (GOAL and QUIET at the start of the message).
  {
    means:
      'Quiet hours, no texts between two times: "QUIET 22:00-06:30", "quiet 22:00 to 6:30", "QUIET 10pm-7am", "quiet hours 21:30-07:00".',
    intent: 'tweak',
    tweak: 'quiet',
    say: ['quiet [hours|time] [from|=] <clock> [to|till|until|til] <clock-end>'],
    where: 'message-start',
  },
  {
    means: 'A new check-in time: "TIME 7:45", "time 19:30", "TIME 7:45pm", "TIME 7am".',
    intent: 'tweak',
    tweak: 'time',
    say: ['time [to|at|=] <clock>'],
    where: 'alone',
  },
  {
    means: 'Check-ins on weekdays only: WEEKDAYS, "weekdays only".',
    intent: 'tweak',
    tweak: 'weekdays',
    say: ['[only] weekdays|weekday [only]'],
    where: 'alone',
  },
  {
    means: 'Check-ins every day: DAILY, "every day", "daily please".',
    intent: 'tweak',
    tweak: 'daily',
    say: ['daily', 'every day', 'everyday'],
    where: 'alone',
  },

  // ── STATUS: the member asks where things stand.
  {
    means: 'Asking how things stand: tokens left, what day it is, the next check-in.',
    intent: 'status',
    say: [
      'how many [grace] tokens|graces',
      'how much grace',
      '[grace] tokens left',
      'grace|graces left',
      'what|which day is it',
      'what|which day am|are i|we on',
      "when|when's [is] my|the next check_in|checkin",
      "what's|what|when's|when my deadline",
      'what|when is my deadline',
      'next check_in|checkin',
      'my status|progress',
      'how am i doing',
    ],
  },
  {
    means: 'STATUS as a command.',
    intent: 'status',
    say: ['status|progress'],
    where: 'start',
  },

  // ── HELP: the member wants to know what they can say. ("help with X" is a need, further down.)
  {
    means: 'Asking what they can say: "what can I reply?", "commands", "how does this work".',
    intent: 'help',
    say: [
      'what can|do|should i say|reply|text|send|write|do',
      'what are the commands|options',
      'commands',
      'how does this work',
      'how do i use this',
      'what is this',
      'who is this',
      "what's this",
      "who's this",
    ],
  },
  {
    means: 'HELP, INFO on their own ("help!", "help me", "info please").',
    intent: 'help',
    say: ['help|info|information|menu|options', 'help me'],
    where: 'alone',
  },

  // ── PAUSE: a few days without check-ins. Days are kept when given; otherwise the caller decides.
  {
    means: 'A break: PAUSE, "pause 3", "pause for a week", "need a break for 2 days", "take a break".',
    intent: 'pause',
    say: [
      'pause [for] <count> [<unit>]',
      'pause [until|till|til|to] [<which-week>] <weekday>',
      'pause [for] <unit>',
      'pause',
      'unpause',
    ],
    unlessAfter: ['<negators>'],
  },
  {
    means:
      'A break in other words: "need a break for 2 days", "take a break", "going on holiday". Inferred: without a number we ask how many days; with one we ask first.',
    intent: 'pause',
    say: [
      '[i] need|want|could_use a break|breather',
      '[i] need|want|could_use a break|breather for <count> [<unit>]',
      'take|taking|having|have a break|breather',
      'take|taking|having|have a break|breather for <count> [<unit>]',
      'a <count> <unit> break',
      'break for <count> <unit>',
      'going on holiday|vacation',
      'going on holiday|vacation for <count> [<unit>]',
      'on holiday|vacation for <count> [<unit>]',
    ],
    unlessAfter: ['<negators>'],
    evidence: 'inferred',
  },

  // ── RESUME: back after a pause.
  {
    means: 'Back after a break: RESUME, "I\'m back", "back again".',
    intent: 'resume',
    say: ['resume', 'unpause', 'un pause'],
    where: 'start',
  },
  {
    means: '"I\'m back" (but "I\'m back on track" is on-track).',
    intent: 'resume',
    say: ["i'm|i_am|we're back", 'back again'],
    where: 'start',
    unlessBefore: ['on'],
  },
  {
    means: '"back" on its own.',
    intent: 'resume',
    say: ['back'],
    where: 'alone',
  },

  // ── GRACE: spend a grace token for today.
  {
    means: 'A grace day: "grace", "use grace", "grace please", "grace token", "taking a grace day".',
    intent: 'grace',
    say: ['grace|graces [day|token|tokens|pass|please]'],
    // Grace is also a name: "Grace is coming over", "lunch with Grace".
    unlessAfter: [
      'no',
      'not',
      'without',
      "don't",
      'never',
      'with',
      'and',
      'meet',
      'meeting',
      'met',
      'see',
      'saw',
      'call',
      'tell',
      'told',
      'ask',
      'asked',
    ],
    unlessBefore: [
      'is',
      'was',
      'and',
      'said',
      'says',
      'will',
      "is'",
      'has',
      'had',
      'wants',
      'called',
      'texted',
    ],
  },

  // ── DEADLINE MOVE: a new deadline.
  {
    means: 'Move to a weekday: "move to friday", "move deadline to fri", "delay till thursday", "next mon".',
    intent: 'deadline_move',
    say: [
      '<move> [<deadlineWords>]* [<to>] [<which-week>] <weekday>',
      '<move> [<deadlineWords>]* [<to>] <weekday> <next> week',
      '<next> <weekday>',
      '<weekday> <next> week',
      'make it [<which-week>] <weekday>',
      '<weekday> instead',
    ],
    evidence: 'deadline',
    droppedWhen: ['in-passing'],
    inPassingWords: 1,
  },
  {
    means: 'Move by days: "push 2 days", "push by a week" (7), "+2d", "extend 2 days", "2 more days".',
    intent: 'deadline_move',
    say: [
      '<move> [<deadlineWords>]* [by|for|another] <count> [<more>] <unit>',
      '<move> [<deadlineWords>]* another <unit>',
      '<move> [<deadlineWords>]* [<to>] <next> <unit>',
      '<count> <more> <unit>',
      'need|want|give_me|take another|an_extra <unit>',
      '+ <count> <unit>',
    ],
    evidence: 'deadline',
    droppedWhen: ['in-passing'],
  },
  {
    means: 'Move to a date: "2026-12-03", "dec 3", "3 dec", "3rd of december", "to may 4".',
    intent: 'deadline_move',
    say: [
      '<date>',
      '<month> <day>',
      '<day> [of] <month>',
      'the <day> of <month>',
      '<to> <may> <day>',
      '<day> of <may>',
    ],
    unlessBefore: ['<countedThings>'],
    evidence: 'deadline',
    droppedWhen: ['in-passing'],
    inPassingWords: 1,
  },

  // ── OFFER: the member offers help to the others. What they offer is kept for the support board.
  {
    means:
      'Offering help: "I can help with …", "happy to help with …", "OFFER …" (the text is what follows).',
    intent: 'offer',
    say: ['offer ...', 'i can offer ...'],
    where: 'message-start',
    text: 'after-trigger',
  },
  {
    means: 'Offering help in other words: "I can help with …", "happy to help with …".',
    intent: 'offer',
    say: [
      'i can|could [help] [you|anyone|someone|somebody] with ...',
      "i'm [happy|glad] to help [you|anyone|someone] with ...",
      'happy|glad to help [you|anyone|someone] with ...',
    ],
    where: 'message-start',
    text: 'after-trigger',
  },

  // ── NEED: the member asks for support. What they need is kept as text for their partner.
  {
    means:
      'Asking for support: "need …", "could use …", "can you …", "would love …" (the text is what follows).',
    intent: 'need',
    say: ['need ...'],
    unlessAfter: ['no', "don't", 'not', 'never', "doesn't", "didn't", "won't"],
    text: 'after-trigger',
    evidence: 'explicit-at-message-start',
  },
  {
    means:
      'Asking in other words: "could use …", "can you …", "would love …" (inferred: a request may be meant for someone else).',
    intent: 'need',
    say: [
      'could|can [really|definitely|totally|honestly] use ...',
      'can|could|would you ...',
      'would [really] love|appreciate ...',
    ],
    unlessAfter: ['no', "don't", 'not', 'never', "doesn't", "didn't", "won't"],
    text: 'after-trigger',
    evidence: 'inferred',
    droppedWhen: ['not-a-request'],
  },
  {
    means:
      'Asking for help with something: "help with the intro", "help me with my outline" (the text includes "help").',
    intent: 'need',
    say: ['help [me|us] with ...', 'help me ...'],
    text: 'from-trigger',
    yieldsTo: ['offer'],
    evidence: 'explicit-at-message-start',
  },

  // ── ACCEPT: agreeing to what a partner proposed. The engine decides by context what "ok" means.
  {
    means: 'Agreeing: "sounds good", "fine by me", "works for me", "no problem", 👌.',
    intent: 'accept',
    say: [
      'sounds good|great|fine|perfect|ok|okay|right|lovely',
      'sounds like a plan',
      'fine|ok|okay|good by|with me',
      'works for me',
      'that works',
      'no problem|problems|prob|probs|worries|worry',
      'sgtm',
      'of course',
      '🆗|👌|🤝',
    ],
    evidence: 'explicit-whole',
  },
  {
    means: 'Agreeing at the start of a clause: OK, okay, sure, agreed, alright ("ok!", "okay, thanks").',
    intent: 'accept',
    say: ['ok|okay|okie|oki|okies|kk|k|alright|sure|agreed', 'all right'],
    where: 'start',
    unlessBefore: ['ish'],
    evidence: 'explicit-whole',
  },
  {
    means: 'Agreeing in one word: deal, cool, perfect, np.',
    intent: 'accept',
    say: ['deal|cool|perfect|np|agree|noted|understood|gotcha'],
    where: 'alone',
  },

  // ── ON IT: a partner takes on a need.
  {
    means: 'Taking on a partner\'s need: "on it", "I\'m on it", "onit".',
    intent: 'on_it',
    say: ["[i'm|i_am|we're] on it", 'onit'],
    unlessAfter: ['<negators>'],
  },

  // ── NOT TODAY: it did not happen today. The product offers grace or support, never a scolding.
  {
    means:
      'Not today in words: "not today", "not really", "not on track", "behind", "struggling", "rough day".',
    intent: 'not_today',
    say: [
      'not today|yet|done|happening|finished|started',
      'not really',
      'not [really|quite] on track',
      'not going well|great',
      'off track',
      'rough|bad|tough|hard|terrible|awful|crap|crappy|rubbish day',
      "can't|cannot|can_not today",
      'falling|fell|fallen behind',
      'behind',
      'struggling|struggled',
      'slipping|slipped',
      'stuck',
      'procrastinating|procrastinated',
      'skipped|missed [it|today]',
      'fell off',
      'nothing today',
      'no progress',
      'gave up',
      'not feeling it',
      'yeah|yea|yeh nah',
    ],
    unlessAfter: ['not', 'never', "wasn't", "isn't", "aren't"],
  },
  {
    means:
      'No at the start of a clause: "no", "nope", "nah" (but "no problem" is accept, "no need" is not a no).',
    intent: 'not_today',
    say: ['no|nope|nah|none|nada|negative|nay|nop|noo'],
    where: 'start',
    unlessBefore: [
      'problem',
      'problems',
      'prob',
      'probs',
      'worries',
      'worry',
      'need',
      'more',
      'way',
      'longer',
      'grace',
    ],
  },
  {
    means: '"I didn\'t", "couldn\'t today", "didn\'t get to it" — at the start of a clause.',
    intent: 'not_today',
    say: ['[i|we] <cannot> <cannotWhat>'],
    where: 'start',
  },
  {
    means: '"I didn\'t", "couldn\'t", "can\'t" with nothing else in the clause.',
    intent: 'not_today',
    say: ['[i|we] <cannot>'],
    where: 'alone',
  },

  // ── WIN: something to celebrate. The text kept is the whole message (up to 160 characters).
  {
    means:
      'WIN at the start: "WIN: finished the intro" (the text is what follows; the whole message if nothing does).',
    intent: 'win',
    say: ['win'],
    where: 'message-start',
    text: 'after-win',
  },
  {
    means:
      'Celebration: 🎉 🥳 🏆, "shipped", "finished", "nailed it", "crushed it", "completed", "first draft done!".',
    intent: 'win',
    say: [
      'small|big|little|quick|huge|major|tiny win',
      'nailed|crushed|smashed|killed|aced it',
      'nailed|aced|shipped|finished|completed|accomplished',
      'draft|chapter|manuscript done',
      'proud of myself|me',
      '🎉|🥳|🏆|🎊|🍾|🏅|🥇',
    ],
    unlessAfter: ['<negators>', 'if', 'once', 'when', 'until', 'till'],
    text: 'message',
    evidence: 'inferred',
    droppedWhen: ['complaint'],
  },

  // ── ON TRACK: it happened / it is going to plan.
  {
    means: 'Yes at the start of a clause: yes, yeah, yep, yup, ya, aye.',
    intent: 'on_track',
    say: ['yes|yeah|yep|yup|ya|yea|yah|yas|yass|aye|yesh|yus|yuh|affirmative|yessir|yeppers'],
    where: 'start',
  },
  {
    means: 'A lone "y".',
    intent: 'on_track',
    say: ['y'],
    where: 'alone',
  },
  {
    means: 'Done: "done", "all done", "done for today", "I did it".',
    intent: 'on_track',
    say: [
      '[all|just|already|finally|totally|completely] done',
      '[i|we] [just|finally|already] did it',
      'all sorted',
    ],
    where: 'start',
  },
  {
    means: 'Done at the end of a clause: "run done", "it\'s done", "got it done".',
    intent: 'on_track',
    say: ['done', 'did it', 'sorted'],
    where: 'end',
    unlessAfter: ['<negators>', 'if', 'when', 'once', 'until', 'till', 'be', 'get', 'will', 'are', 'you'],
  },
  {
    means: 'On track in words or emoji: "on track", "all good", 👍 ✅ 💪 ✔️.',
    intent: 'on_track',
    say: [
      '[still|back|right|firmly|totally|fully] on track',
      'on schedule',
      'all good',
      'going well',
      'got it done',
    ],
    unlessAfter: ['<negators>'],
  },
  {
    means:
      'On track as an emoji: 👍 ✅ 💪 ✔️. Only a reaction: next to "ok", "on it", "no", … it adds nothing.',
    intent: 'on_track',
    say: ['👍|✅|💪|✔|☑|✓|🙌|👏|💯'],
    yieldsTo: ['accept', 'on_it', 'not_today', 'grace', 'pause', 'resume', 'status', 'help', 'start'],
  },

  // ── MOOD: how the member feels, 1 awful · 2 low · 3 meh · 4 good · 5 great.
  {
    means:
      'Mood after "feeling", "I feel", "I\'m", "mood": "feeling pretty good", "I\'m great", "mood 4", "4/5".',
    intent: 'mood',
    say: ['mood [is|=|of|at] <score>', 'mood [is|=] [<intensifiers>]* <mood-after-im>'],
  },
  {
    means:
      'A feeling that is the whole clause: "feeling pretty good", "I\'m great", "4/5". Never an adjective or a number inside a sentence ("I feel bad that I missed it", "ran 4 out of 5 days").',
    intent: 'mood',
    say: [
      "[i|i'm|i_am|am] [<not>] feeling|feel [<intensifiers>]* <mood-after-feeling>",
      "i'm|i_am [<not>] [<intensifiers>]* <mood-after-im>",
      'i <not> feel [<intensifiers>]* <mood-after-feeling>',
      'feeling [like] [a] <score>',
      'feeling [like] [a] <score-of-5>',
      '<score-of-5>',
      '<score> out of 5|five',
    ],
    where: 'alone',
  },
  {
    means:
      'A mood word or a lone 1–5 that is the whole reply (other intents aside): "meh", "pretty good", "not great", "4". "awesome, see you at 6" is not a mood.',
    intent: 'mood',
    say: ['[<intensifiers>]* <mood>', '<score>'],
    where: 'whole',
  },
];

/**
 * ANSWERS TO A QUESTION WE ASKED. These are read only while that question is open, and only as the
 * whole reply (filler words aside): "send it, thanks" is SEND, "send it to Bob tomorrow" is not.
 */
export const answers = {
  /** To a confirmation ("Pass this on to Ben: '…'? Reply SEND or NO."). YES is not here: YES means on track. */
  send: [
    'send',
    'send it',
    'send that',
    'yes send',
    'ok send',
    'okay send',
    'pass it on',
    'share',
    'share it',
    'go ahead',
  ],
  /** Not sent, nothing changed. */
  dontSend: [
    'no',
    'nope',
    'nah',
    'no thanks',
    "don't",
    "don't send",
    "don't send it",
    'leave it',
    'never mind',
    'nevermind',
    'not now',
    'no need',
  ],
  /** To the Day-14 (and every later) review, "What next? CONTINUE, TWEAK or PAUSE": keep going. */
  reviewContinue: [
    'yes',
    'yeah',
    'yep',
    'yup',
    'y',
    'sure',
    'ok',
    'okay',
    'of course',
    'absolutely',
    'definitely',
    'why not',
    'keep going',
    'carry on',
    'go on',
    'same again',
    'same as before',
    'more of the same',
    'again',
    'another round',
    'continue',
    "let's continue",
    "let's keep going",
  ],
  /** At the review: a pause, every record kept. */
  reviewPause: [
    'no',
    'nope',
    'nah',
    'no thanks',
    'not now',
    'not for now',
    'not right now',
    'stop for now',
    'stop for a while',
    'enough for now',
    "that's enough for now",
    'a break',
    'take a break',
    'pause',
    'pause please',
  ],
  /** At the review, a reply that starts with one of these is TWEAK ("change the time", "tweak my goal"). */
  reviewTweakStarts: ['change', 'tweak', 'adjust', 'different'],
} as const satisfies Record<string, readonly string[]>;
