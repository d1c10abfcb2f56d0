"""What a message's wording says around its alarming words: denied, in the past, figurative, a general
question, or happening now. Explicit, because a sentence embedding blurs exactly these.

The cues are features of the triage classifier (so "I'm not suicidal", "years ago" or "this exam is
killing me" lower its score however the rest is worded) and ``units`` splits a message into the
sentences it scores one by one, so one dangerous sentence inside a long question is not diluted.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})

# Each cue: a pattern over the lower-cased message with apostrophes dropped ("i'm" → "im").
CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        # "not suicidal", "no chest pain", "never tried", "dont want to die", "nobody took anything"
        "negated": r"\b(?:not|no|never|nothing|nobody|none|neither|nor|without|dont|doesnt|didnt|isnt|arent|"
        r"wasnt|werent|havent|hasnt|hadnt|wont|wouldnt|cant|couldnt|denies|deny|denied)\b",
        # over and done with: "years ago", "as a teenager", "used to", "clean for 5 years", "back in 2015"
        "past": r"\b(?:\d+|a|an|one|two|three|four|five|six|ten|few|several|many) (?:years?|yrs?|months?|decades?) ago\b"
        r"|\blast (?:year|summer|winter|spring|fall|autumn)\b|\bused to\b|\bback (?:in|when)\b"
        r"|\b(?:when|while) (?:i|he|she|they) (?:was|were) (?:a |in |at |younger|little|young|\d)"
        r"|\bas a (?:kid|child|teen|teenager|student|young)\b|\bin (?:high school|college|my (?:teens|twenties|20s))\b"
        r"|\b(?:clean|sober|recovered|in recovery) (?:for|since)\b|\bhavent (?:\w+ ){0,3}(?:in|for|since) (?:years|months|ages)\b"
        r"|\b(?:in|since) (?:19|20)\d\d\b|\bhistory of\b|\bmy (?:past|history)\b",
        # hyperbole: "killing me", "dying to", "id die for", "bored to death", "could murder a pizza"
        "figurative": r"\b(?:is|are|was|its|thats|this|these|those|shes|hes|youre|theyre|keeps) (?:\w+ ){0,3}killing me\b"
        r"|\bdying (?:to|for|of (?:laughter|embarrassment|boredom|curiosity|heat|thirst|hunger))\b|\b(?:id|i would|i could) die (?:for|of)\b"
        r"|\bto die for\b|\b(?:bored|scared|frightened|worried|tickled|loved|embarrassed) (?:me )?to death\b|\bdead (?:tired|serious|wrong|on)\b"
        r"|\b(?:could|would|will|gonna|going to) (?:literally )?kill (?:him|her|them|my (?:boss|brother|sister|husband|wife|mom|dad|kids?|roommate))\b"
        r"|\bkill (?:for|it)\b|\bkilled it\b|\b(?:murder|kill) (?:a|an|some) (?:pizza|burger|coffee|beer|drink|steak)\b"
        r"|\bheart attack (?:when|if) (?:i|she|he|they) (?:see|sees|saw|find|finds)\b|\bgave me a heart attack\b"
        r"|\blol\b|\blmao\b|\bhaha\w*\b|\bjk\b|\bjoking\b|\bkidding\b",
        # a question about people in general or about what would happen: "what happens if someone ..."
        "general": r"\b(?:someone|somebody|a person|people|anyone|one|you) (?:who |that )?(?:takes?|took|has|had|is|was|gets?|would|might|could|should)\b"
        r"|\bwhat (?:happens|would happen|should (?:you|someone|a person) do)\b|\bwhat if\b|\bhypothetical\w*\b|\bin general\b"
        r"|\b(?:signs?|symptoms?|risks?|side ?effects?|chances?) of\b|\bhow (?:many|much) (?:\w+ ){0,4}(?:would|is|does) (?:it )?(?:take|be)\b"
        r"|\b(?:is it|can it be|could it be) (?:dangerous|deadly|fatal|lethal|safe)\b|\bfirst aid\b|\bfor (?:a|my) (?:class|essay|paper|story|novel|book)\b",
        # happening now: "right now", "just took", "tonight", "won't stop", "help", "hurry"
        "now": r"\b(?:right now|now|just|tonight|today|this morning|this evening|currently|at the moment|still|keeps?|"
        r"wont stop|cant stop|minutes? ago|an hour ago|hours? ago|help|please|hurry|asap|emergency|911|what do i do|what should i do)\b",
        # who: the person writing, or someone with them
        "self": r"\b(?:i|im|ive|id|me|my|myself)\b",
        "other": r"\bmy (?:son|daughter|kid|kids|child|baby|toddler|husband|wife|partner|boyfriend|girlfriend|mom|mum|mother|dad|father|"
        r"brother|sister|friend|roommate|grandma|grandmother|grandpa|grandfather|nan|coworker|colleague|neighbou?r)\b"
        r"|\b(?:he|she|they) (?:is|isnt|was|has|took|wont|cant|just)\b",
        # a pet or other animal named ("my dog", or a message that starts "puppy ate ...")
        "animal": r"\b(?:(?:my|our|the|a|his|her|their) (?:\w+ )?)?(?<!hot )(?<!corn )(?!dog (?:tired|days)\b)(?:dog|dogs|puppy|pup|cat|cats|kitten|kitty|pet|pets|rabbit|bunny|hamster|guinea pig|"
        r"ferret|parrot|bird|budgie|horse|pony|goat|lizard|snake|turtle|tortoise|rat|mouse|chinchilla|cockatiel|lab|labrador|"
        r"retriever|poodle|beagle|terrier|chihuahua|husky|spaniel|shepherd|pug|dachshund)\b",
    }.items()
}
CUE_NAMES = tuple(CUES)

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*|\s+(?=but\s)|;\s*")
MAX_UNITS = 12


def normalise(text: str) -> str:
    """Lower case, curly quotes straightened and apostrophes dropped ("I’m" → "im"), NFKC."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES).replace("'", "")


def cue_vector(text: str) -> np.ndarray:
    """1.0 for each cue present in ``text``, in CUE_NAMES order."""
    lowered = normalise(text)
    return np.array([1.0 if pattern.search(lowered) else 0.0 for pattern in CUES.values()], dtype=np.float32)


def units(text: str) -> list[str]:
    """The message, then each of its sentences when it has more than one (at most MAX_UNITS in all)."""
    sentences = [part.strip() for part in _SENTENCE.split(text) if len(part.strip().split()) >= 2]
    if len(sentences) <= 1:
        return [text]
    return [text, *dict.fromkeys(sentences)][:MAX_UNITS]
