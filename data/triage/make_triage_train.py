#!/usr/bin/env python3
"""Generate the TRAINING set for a crisis-triage classifier (health chat app).

Standard library only, fixed random seed -> byte-identical output on every run.

    python3 make_triage_train.py        # writes triage_train.jsonl + README.md next to this file

Pipeline
  1. Hand-written messages (plain strings and a few person/time templates) per
     label / category / kind.  Template tokens: {W}/{w} subject ("I", "my son"...),
     {S} {O} {P} {R} pronouns, {Wp} possessive, {am} {have} {dont} {s} {es} verb
     agreement, plus slots such as {when} {drug} {chem}.
     Markers: "@any|" "@others|" "@child|" "@all|" "@anyone|" = who may be the
     subject; "#tag " = variety tag of the hand-written message (e.g. #negated).
  2. Short "fragments" (e.g. "took a whole bottle of tylenol") are turned into
     matched emergency / hypothetical / past look-alike pairs.
  3. Each base message gets at most MAX_VARIANTS variants: third person, tense,
     typo, slang, lowercase/no punctuation, non-native grammar, buried inside an
     ordinary medication question.
  4. Dedupe on a normalised key, pick originals first, then variants round-robin
     until the label/kind mix (45 / 5 / 30 / 20 %) is reached; validate; write.
"""

import json
import os
import random
import re
from collections import Counter, defaultdict

SEED = 20240611
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "triage_train.jsonl")
README = os.path.join(HERE, "README.md")
TARGET_TOTAL = 2800
MAX_VARIANTS = 4
FRACTIONS = {
    ("emergency", ""): 0.45,
    ("animal", ""): 0.05,
    ("non_emergency", "lookalike"): 0.30,
    ("non_emergency", "ordinary"): 0.20,
}
EMERGENCY_CATS = [
    "suicide",
    "self_harm",
    "overdose",
    "poisoning",
    "child_ingestion",
    "breathing",
    "chest_pain",
    "stroke",
    "anaphylaxis",
    "seizure",
]

# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------
ADULTS = [
    ("my son", "m"),
    ("my daughter", "f"),
    ("my roommate", None),
    ("grandma", "f"),
    ("my husband", "m"),
    ("a friend", None),
    ("my coworker", None),
    ("my wife", "f"),
    ("my dad", "m"),
    ("my mom", "f"),
    ("my brother", "m"),
    ("my sister", "f"),
    ("my girlfriend", "f"),
    ("my boyfriend", "m"),
    ("grandpa", "m"),
    ("my neighbor", None),
    ("my teenage son", "m"),
    ("my 16 year old daughter", "f"),
    ("my uncle", "m"),
    ("my aunt", "f"),
    ("my best friend", None),
    ("my partner", None),
]
CHILDREN = [
    ("my 3 year old", None),
    ("my toddler", None),
    ("my 2 year old son", "m"),
    ("my 18 month old daughter", "f"),
    ("my baby", None),
    ("my 4 year old", None),
    ("my little girl", "f"),
    ("my 1 year old", None),
    ("my 3 year old son", "m"),
]
ME = ("I", None)
WHO = {
    "any": [ME] + ADULTS,
    "others": ADULTS,
    "child": CHILDREN,
    "all": [ME] + ADULTS + CHILDREN,
    "anyone": ADULTS + CHILDREN,
}


def cap1(s):
    return s[:1].upper() + s[1:]


def person(who, rng):
    noun, g = who
    if noun == "I":
        return dict(
            W="I",
            w="I",
            Wp="My",
            wp="my",
            S="I",
            O="me",
            P="my",
            R="myself",
            am="am",
            have="have",
            was="was",
            do="do",
            dont="don't",
            s="",
            es="",
            Sm="I'm",
            isnt="am not",
        )
    if g is None:
        g = rng.choice("mf")
    S, O, P, R = ("he", "him", "his", "himself") if g == "m" else ("she", "her", "her", "herself")
    return dict(
        W=cap1(noun),
        w=noun,
        Wp=cap1(noun) + "'s",
        wp=noun + "'s",
        S=S,
        O=O,
        P=P,
        R=R,
        am="is",
        have="has",
        was="was",
        do="does",
        dont="doesn't",
        s="s",
        es="es",
        Sm=S + "'s",
        isnt="isn't",
    )


SOMEONE = dict(
    W="Someone",
    w="someone",
    Wp="Someone's",
    wp="someone's",
    S="they",
    O="them",
    P="their",
    R="themselves",
    am="is",
    have="has",
    was="was",
    do="does",
    dont="doesn't",
    s="s",
    es="es",
    Sm="they're",
    isnt="isn't",
)

# ---------------------------------------------------------------------------
# Slot values
# ---------------------------------------------------------------------------
SLOTS = {
    "when": [
        "just now",
        "a few minutes ago",
        "about 10 minutes ago",
        "20 minutes ago",
        "half an hour ago",
        "an hour ago",
        "about two hours ago",
        "a couple of hours ago",
        "3 hours ago",
        "earlier tonight",
        "about 40 minutes ago",
        "this morning",
    ],
    "since": [
        "for the last 20 minutes",
        "for about half an hour",
        "since about an hour ago",
        "for the past 15 minutes",
        "for 40 minutes now",
        "for almost an hour",
    ],
    "ago": [
        "years ago",
        "ten years ago",
        "back in 2012",
        "a long time ago",
        "over five years ago",
        "about six years ago",
        "back in 2016",
        "many years ago",
        "in 2018",
    ],
    "drug": [
        "tylenol",
        "acetaminophen",
        "paracetamol",
        "ibuprofen",
        "xanax",
        "oxycodone",
        "sertraline",
        "zoloft",
        "prozac",
        "lexapro",
        "seroquel",
        "ambien",
        "benadryl",
        "adderall",
        "lithium",
        "amitriptyline",
        "trazodone",
        "gabapentin",
        "tramadol",
        "klonopin",
        "aspirin",
        "propranolol",
        "naproxen",
        "sleeping pills",
        "blood pressure pills",
        "heart pills",
        "antidepressants",
        "diabetes pills",
    ],
    "n": ["12", "15", "20", "30", "40", "like 25", "a handful of", "about 50", "maybe 18", "60"],
    "chem": [
        "bleach",
        "drain cleaner",
        "antifreeze",
        "window cleaner",
        "lamp oil",
        "weed killer",
        "rubbing alcohol",
        "paint thinner",
        "bug spray",
        "ammonia",
        "pool chlorine",
        "dishwasher detergent",
        "windshield washer fluid",
    ],
    "fume": [
        "bleach and ammonia",
        "oven cleaner",
        "paint stripper",
        "pool chlorine",
        "a bug fogger",
        "a gas generator",
        "a charcoal grill",
        "spray paint",
    ],
    "allergen": [
        "peanuts",
        "shrimp",
        "a cashew cookie",
        "something with sesame",
        "walnuts",
        "shellfish",
        "a kiwi",
        "a brownie with nuts",
        "crab",
        "an egg sandwich",
    ],
    "insect": ["bee", "wasp", "hornet", "yellow jacket", "fire ant"],
    "abx": [
        "amoxicillin",
        "penicillin",
        "a sulfa antibiotic",
        "cephalexin",
        "ibuprofen",
        "the new antibiotic",
        "augmentin",
        "a new blood pressure pill",
    ],
    "side": ["left", "right"],
    "mins": ["5", "6", "7", "8", "10", "12", "15", "20"],
    "dog": [
        "my dog",
        "my puppy",
        "our labrador",
        "my beagle",
        "my chihuahua",
        "our family dog",
        "my golden retriever",
        "my husky",
        "my pug",
    ],
    "cat": ["my cat", "my kitten", "our cat", "my elderly cat", "my roommate's cat"],
    "pet": [
        "my dog",
        "my cat",
        "my puppy",
        "my kitten",
        "our rabbit",
        "my ferret",
        "our dog",
        "my guinea pig",
        "my parrot",
    ],
    "dogpoison": [
        "a whole bar of dark chocolate",
        "a bunch of grapes",
        "a box of raisins",
        "sugar-free gum with xylitol",
        "rat poison",
        "some of my ibuprofen",
        "a bottle of my tylenol",
        "a whole onion",
        "some of my adderall",
        "a bag of chocolate chips",
        "my blood pressure pills",
        "macadamia nuts",
        "a pack of nicotine gum",
        "slug pellets",
        "a cannabis edible",
    ],
    "childstuff": [
        "my prescription pills",
        "grandma's pill organizer",
        "the children's tylenol",
        "my antidepressants",
        "the iron pills",
        "my blood pressure pills",
        "the vitamin gummies",
        "my sleeping pills",
        "my husband's heart medicine",
    ],
}

TOKEN = re.compile(r"\{(\w+)\}")


def cap_sentences(s):
    return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), s)


def render(tpl, per, rng, fixed=None):
    chosen = {}

    def rep(m):
        k = m.group(1)
        if k in per:
            return per[k]
        if fixed and k in fixed:
            return fixed[k]
        if k in SLOTS:
            if k not in chosen:
                chosen[k] = rng.choice(SLOTS[k])
            return chosen[k]
        raise KeyError("unknown token {%s} in %r" % (k, tpl))

    return cap_sentences(TOKEN.sub(rep, tpl)), chosen


# ---------------------------------------------------------------------------
# HAND-WRITTEN: EMERGENCY
# ---------------------------------------------------------------------------
EMERGENCY = {
    "suicide": [
        "I don't want to be alive anymore and I have the pills lined up on my desk.",
        "I'm going to kill myself tonight, I've already written the letters.",
        "I keep thinking about ending it and I don't think I can stop myself this time.",
        "honestly I just don't want to wake up tomorrow",
        "I wish I could go to sleep and never wake up. I feel like that every night now.",
        "I'm standing on the bridge right now.",
        "I have a rope and I've been looking at it for an hour.",
        "Everyone would be better off without me. I've decided tonight is the night.",
        "I can't do this anymore. I've already said goodbye to my family.",
        "What's the point of living, I'm planning to end my life this weekend.",
        "I loaded my dad's gun and it's sitting next to me.",
        "I've been counting how many of my pills it would take and I think I'm going to do it.",
        "I just want everything to stop. Permanently.",
        "I'm sitting in my car in the closed garage with the engine running.",
        "I gave away my cat and my stuff today because I won't need them after tonight.",
        "Nobody would notice if I disappeared forever, and I'm ready to make that happen.",
        "Every night I hope I won't wake up in the morning.",
        "I'm so tired of being alive. I don't want to be here anymore.",
        "I've been suicidal for weeks and today is worse than ever.",
        "I have thoughts of killing myself constantly and I don't feel safe alone right now.",
        "I'm scared of what I might do to myself tonight.",
        "If nothing changes by tonight I'm going to end it.",
        "The voices are telling me to kill myself and I think I should listen to them.",
        "I'm on the roof of my building and thinking about jumping.",
        "I wrote a note. I just need to know it won't hurt.",
        "please I'm about to do something stupid, I have a knife and I want to die",
        "I don't see any way out except dying.",
        "How much insulin would it take to stop my heart? I want this to be over.",
        "I don't want to live anymore. I haven't eaten in days and I'm just waiting to die.",
        "Dying would be such a relief. I've been planning how.",
        "My life insurance would cover everything if I was gone, and I've been thinking of making that happen soon.",
        "Tonight I'm going to take all of my sleeping pills. I'm done.",
        "I want to die. that's it. that's the message.",
        "When I drive I keep thinking about swerving into a truck and today I almost did it.",
        "I'm not going to be around much longer, I've made up my mind.",
        "I'd rather be dead than keep feeling like this, and I have a plan.",
        "I'm sitting in the bath with a razor and I just want it all to end.",
        "I don't exactly want to die, I just don't want to exist. I keep wishing I wouldn't wake up.",
        "I relapsed and I'm thinking about overdosing on purpose so I never have to feel this again.",
        "My therapist is on vacation and I'm having really strong urges to kill myself.",
        "I'm a burden to everyone. I've been looking up the tallest buildings near me.",
        "I keep picturing my funeral and it feels peaceful. I think I'm ready.",
        "I stopped my antidepressants last week and now I'm having thoughts of ending my life.",
        "I'm not okay. I want to die and I'm alone tonight.",
        "Can you tell me which pills would make it painless? I don't want to wake up again.",
        "I've been sitting on the train platform for an hour thinking about stepping off.",
        "I hate my life and I'm going to end it before my parents get home.",
        "i just want to disappear forever and i know how im going to do it",
        "Is it normal to want to die every single day? Because today I think I'll actually do it.",
        "I already took the first few pills. I want to sleep forever.",
        "My kids would be better off without me, I'm going to drive off the road tonight.",
        "I lost my job and my wife, I have nothing left to live for and I'm done trying.",
        "#negated I'm not trying to be dramatic but I genuinely plan to kill myself tonight.",
        "#negated I'm not in pain or anything, I just don't want to wake up anymore.",
        "#negated Please don't send me a hotline, I've decided, I just want to know it's quick.",
        "#negated I'm not crying for attention, I bought the rope this afternoon.",
        "@others|{W} just told me {S} {have} a plan to kill {R} tonight.",
        "@others|{W} texted me goodbye and said {S} {dont} want to be alive anymore, and now {S} won't answer {P} phone.",
        "@others|{W} locked {R} in the bathroom and said {S} {am} going to end it.",
        "@others|{W} posted a goodbye message online {when} and nobody can reach {O}.",
        "@others|{W} {am} on the edge of the roof saying {S} will jump.",
        "@others|{W} said {S} {have} the pills ready and {am} going to take them all tonight.",
        "@any|{W} keep{s} saying {S} wish{es} {S} wouldn't wake up, and today {S} gave away {P} things.",
        "@others|{W} {am} talking about suicide and just bought a gun {when}.",
        "@others|{W} {have} a knife and {am} threatening to kill {R}.",
        "@any|{W} {am} having suicidal thoughts right now and {dont} feel safe.",
        "@others|{W} wrote a suicide note and left it on the kitchen table {when}.",
        "@any|{W} {have} been planning to end {P} life and tonight feels like the night.",
        "@others|{W} called me crying and said {S} {dont} want to wake up tomorrow, then hung up.",
    ],
    "self_harm": [
        "I cut too deep this time and it won't stop bleeding.",
        "I've been pressing a towel on my arm for 20 minutes and it's still soaking through.",
        "I just cut myself and the wound is gaping open, I can see yellow stuff inside.",
        "I'm cutting right now and I can't stop.",
        "I burned myself on purpose with a lighter and the blister is huge and I feel faint.",
        "I hurt myself again tonight and there's blood everywhere.",
        "The cut on my thigh won't stop bleeding and I'm getting dizzy.",
        "I have the blade in my hand right now, I need to hurt myself.",
        "I relapsed on self harm and the bleeding isn't slowing down, what do I do?",
        "I sliced my hand open cooking and it's spurting blood.",
        "My nose has been bleeding nonstop for 45 minutes and I'm on blood thinners.",
        "I cut my leg on broken glass and the blood is pulsing out.",
        "I scratched until I bled and now I want to do something worse.",
        "I'm banging my head against the wall and I can't stop.",
        "I just carved into my skin and it's deep, I'm scared, should I go to the ER?",
        "I can't stop the bleeding from where I cut, I've gone through three bandages.",
        "I self harmed and I think I hit a vein, it's dripping fast.",
        "I'm sitting on the bathroom floor with a razor and the urge to cut is overwhelming right now.",
        "I took the sharpener apart and I'm going to use the blade tonight.",
        "I hit my arm with a hammer on purpose and now I can't move my fingers.",
        "The wound I made opened back up and it's bleeding through the stitches.",
        "I'm bleeding a lot after cutting and my vision is going spotty.",
        "My tooth extraction site has been gushing blood for 2 hours and won't clot.",
        "I'm throwing up blood, a lot of it, and I feel weak.",
        "I need to feel pain right now, I'm going to burn myself with the iron.",
        "I've been cutting for an hour and there's so much blood that I'm scared now.",
        "Deep cut on my wrist from self harm, it's wide open and won't close.",
        "I punched through a window on purpose and my arm is bleeding heavily.",
        "I keep reopening my cuts tonight and now one won't stop bleeding.",
        "my arm wont stop bleeding after i cut, the towel is soaked",
        "I chopped into my finger with the mandoline and the bleeding won't stop even with ice and pressure.",
        "I'm on warfarin and a small cut on my shin has been bleeding for over an hour.",
        "I'm gonna hurt myself really bad tonight, I already have everything ready.",
        "I swallowed some razor blades on purpose.",
        "#negated I'm not trying to die, I just cut and now it won't stop bleeding.",
        "#negated I'm not suicidal but I just cut myself pretty badly and the bleeding won't stop.",
        "#negated It's not a suicide thing, I just really need to cut right now and I have the blade.",
        "@any|{W} cut {R} {when} and the bleeding won't stop.",
        "@others|{W} {am} cutting {R} in the bathroom right now and won't come out.",
        "@all|{W} sliced {P} hand on a broken bottle {when} and it's gushing blood even with pressure.",
        "@any|{Wp} arm has been bleeding through towels for half an hour after {S} cut {R}.",
        "@all|{W} {am} bleeding heavily from a cut on {P} leg and {am} getting pale and dizzy.",
        "@any|{W} {have} been burning {R} with cigarettes tonight and the burns are getting worse.",
        "@others|{W} {am} hitting {R} over and over and won't stop.",
        "@any|{W} {have} a nosebleed that won't stop, it's been going {since}.",
    ],
    "overdose": [
        "I took 20 tylenol about an hour ago, what happens now?",
        "I accidentally took my blood pressure pill twice this morning and now I'm really dizzy.",
        "I took way too much of my adderall and my heart is pounding out of my chest.",
        "I just took a bunch of my sleeping pills, I don't know how many.",
        "I swallowed all my antidepressants.",
        "Took too many xanax and I can barely keep my eyes open.",
        "I think I overdosed.",
        "I double dosed my insulin by mistake and I'm shaky and sweating.",
        "I've been taking 2 extra strength tylenol every 2 hours for 3 days for a toothache and now my stomach hurts.",
        "Mixed my oxy with alcohol and now I feel like I'm going to pass out.",
        "I took my whole week of pills at once because the organizer spilled and I got confused.",
        "I did way too much coke and my chest is tight and my heart is racing.",
        "I took 10 benadryl to sleep and now I'm seeing things that aren't there.",
        "i took like 15 ibuprofen 800s",
        "Is 30 melatonin gummies bad? I just ate them all.",
        "I took my methotrexate every day instead of once a week for the whole week.",
        "I put two fentanyl patches on instead of one.",
        "I took extra lithium because I felt off and now I'm shaking and confused.",
        "I overdosed on my seroquel, I feel really weird.",
        "I took my warfarin twice plus an extra by mistake and my gums are bleeding.",
        "I took a handful of my mom's pills, I don't even know what they were.",
        "I snorted a line and now my lips are numb and I'm twitching.",
        "I took too much of my pain medicine and my breathing feels slow.",
        "How much tylenol is too much? I already took 25 of them.",
        "I drank a whole bottle of cough syrup and I feel really weird.",
        "I took an overdose.",
        "I took 3 of my suboxone strips at once and my pupils are tiny.",
        "I accidentally took my husband's heart medication instead of my vitamins and I feel lightheaded.",
        "I took 50 of my 5000 IU vitamin D pills at once.",
        "I swallowed a full pack of paracetamol earlier today, I feel fine but I'm scared.",
        "Took a whole sheet of my anxiety meds and drank wine with it.",
        "I took my digoxin and then forgot and took it twice more, I'm nauseous and everything looks yellow.",
        "I took too many caffeine pills and my heart is beating weird and I'm vomiting.",
        "I took some pills. A lot. I don't want to say how many.",
        "I overdosed on purpose an hour ago and now I'm scared.",
        "I ate a whole edible bar that's supposed to be 10 doses and I can't stop shaking.",
        "I took 8 of my ambien and I'm texting you before I fall asleep.",
        "I think I took my thyroid pill 4 times today.",
        "lol ok so I think I took too many of my anxiety pills, my heart is racing and I can't feel my hands",
        "How long does it take for 30 sleeping pills to work? I already took them.",
        "Is it bad that I took 12 extra strength tylenol at once? My head hurt so much.",
        "I used my inhaler like 40 times in an hour and now I'm shaking and my heart is racing.",
        "My grandpa took his morning pills three times because he forgot he already took them.",
        "I accidentally gave my elderly mom a double dose of her morphine.",
        "I took two of my sleeping pills and then another two because I couldn't sleep, now I feel weird.",
        "#negated I'm not trying to hurt myself, I just took way more codeine than the label says because the pain was so bad, and now I'm super sleepy.",
        "#negated Not suicidal, it was an accident, but I took my new pills plus the old ones and my heart rate is 40.",
        "#negated No I don't want to die, I just lost count and took maybe 14 ibuprofen today.",
        "@any|{W} took a whole bottle of {drug} {when}.",
        "@any|{W} accidentally took a double dose of {P} {drug} {when} and {am} feeling really off.",
        "@any|{W} swallowed a bunch of {drug} on purpose {when}.",
        "@others|{W} {am} really drowsy after taking too much {drug} and {am} hard to wake up.",
        "@any|{W} took {n} {drug} {when}, is that dangerous?",
        "@others|{W} mixed {drug} with a lot of alcohol {when} and {am} barely conscious.",
        "@others|{W} took too much of {P} meds, I'm not sure how much.",
        "@any|{W} took {P} {drug} twice by mistake {when}.",
        "@others|{W} overdosed at a party {when} and {S} keep{s} nodding off.",
    ],
    "poisoning": [
        "I mixed bleach and ammonia cleaning the bathroom and now I can't stop coughing and my chest burns.",
        "Our carbon monoxide alarm is going off and we all have headaches and feel sick.",
        "I think someone put something in my drink, I feel super drunk after one beer and can't stand.",
        "I accidentally drank some weed killer that my husband stored in a water bottle.",
        "We ate mushrooms we picked in the woods and now we're all vomiting badly.",
        "I got pesticide spray in my face and now my eyes are burning and I'm drooling a lot.",
        "I drank antifreeze by mistake, it was in a juice bottle.",
        "I swallowed some drain cleaner and my throat is burning.",
        "I was cleaning with a lot of chemicals in a small room and now I'm dizzy and confused.",
        "Someone spiked my drink at the club and I'm losing time, my friends are gone.",
        "We've all had headaches and nausea all day and it gets better when we leave the house, and the furnace is old.",
        "I ate a plant from the garden thinking it was wild garlic and now my heart feels weird.",
        "I breathed in a lot of fumes from pool chlorine and I'm wheezing.",
        "I accidentally swallowed a mouthful of lamp oil.",
        "My husband drank homemade liquor and now his vision is blurry and he's breathing fast.",
        "I think there's a gas leak, I smell rotten eggs and I feel faint.",
        "I got hydrofluoric acid on my fingers at work and the pain is getting worse.",
        "I drank from a bottle that had bleach in it, maybe a few sips.",
        "I ate some berries off a bush and now my mouth is numb and I'm throwing up.",
        "We ran a generator in the garage and the whole family feels dizzy and sleepy.",
        "I got oven cleaner in my eye, it's burning like crazy and I can't open it.",
        "I swallowed gasoline while siphoning and now I can't stop coughing.",
        "I think my coffee was poisoned, it tasted bitter and now I'm sweating and cramping.",
        "I used a charcoal grill indoors because of the storm and now I have a pounding headache and want to vomit.",
        "I think I ate a death cap mushroom about six hours ago and now I'm vomiting.",
        "I splashed concentrated bleach in my mouth by accident and my lips are blistering.",
        "I smelled something like chlorine in the pool pump room and now I can't catch my breath.",
        "I drank rubbing alcohol thinking it was water.",
        "My drink tasted salty and weird at the bar and now I can't feel my legs.",
        "We ate pufferfish at home and my lips are tingling and going numb.",
        "I set off bug foggers and went back in too early, now I'm vomiting and dizzy.",
        "I got lye all over my hands and some in my mouth while making soap.",
        "My CO detector is beeping and my roommate won't wake up properly.",
        "I sprayed weed killer without a mask all afternoon and now I'm sweating, twitching and can't see straight.",
        "i think i got roofied, everything is spinning and i dont know where i am",
        "#negated I'm not drunk, I only had one drink but now I can barely walk and I'm confused, I think it was spiked.",
        "@any|{W} drank {chem} by mistake {when}.",
        "@any|{W} {am} dizzy and vomiting after using {fume} in a closed room {when}.",
        "@any|{W} ate wild mushrooms {when} and now {am} vomiting with bad cramps.",
        "@any|{W} think{s} someone spiked {P} drink, {S} can barely stand.",
        "@any|The carbon monoxide detector went off and {w} {am} confused and drowsy.",
        "@others|{W} swallowed {chem} {when} and {P} throat is burning.",
        "@any|{W} ate some leaves from the garden {when} thinking they were herbs and now {P} heart is racing.",
    ],
    "child_ingestion": [
        "My 2 year old just swallowed a button battery from the remote.",
        "My toddler bit into a tide pod, he's coughing and drooling.",
        "My daughter swallowed 3 magnets from her brother's toy set.",
        "Found my son with an open bottle of my iron pills and some are missing.",
        "My baby drank some of the dishwasher liquid.",
        "My 3 year old got into grandma's purse and ate some of her heart pills.",
        "My 18 month old chewed on a laundry pod and her mouth is red.",
        "My kid swallowed a coin and now he's drooling and won't eat.",
        "My toddler drank lamp oil and keeps coughing.",
        "My 4 year old ate a bunch of gummy vitamins, like 20.",
        "My son swallowed a hearing aid battery.",
        "My daughter got into the medicine cabinet, there are chewed-up pills on the floor.",
        "My baby ate a cigarette butt.",
        "Toddler drank from a bottle of nail polish remover.",
        "My 2 year old swallowed one of my blood pressure pills.",
        "My 3yo ate some of the rat poison pellets in the garage.",
        "My kid licked something from under the sink, I think oven cleaner, and his lips are red.",
        "My son swallowed a small magnet and a coin.",
        "My daughter sucked on a liquid nicotine pod from my vape.",
        "My 3 year old drank hand sanitizer, a good amount.",
        "My toddler ate a THC gummy and is super sleepy and wobbly.",
        "My child swallowed a coin battery maybe 30 minutes ago, he seems fine.",
        "My 2 yo got into the tylenol, the bottle is half empty.",
        "Found my toddler chewing on berries from the yew bush.",
        "My 1 year old swallowed a water bead.",
        "My kid ate one of grandpa's clonidine pills.",
        "My son drank some of the pool chemicals.",
        "My 4 year old drank windshield washer fluid.",
        "My daughter swallowed a tiny battery from a toy and now she's crying and drooling.",
        "I just found my toddler with my open bottle of methadone.",
        "My kid sucked on a bottle of eucalyptus oil.",
        "My 3 year old ate a dishwasher pod and is vomiting.",
        "Toddler got into my adderall, maybe 2 pills are missing.",
        "My 5 year old ate my iron supplements, the whole bottle looks gone.",
        "my 2 yr old swallowed something from the floor i think it was a battery from the scale",
        "My baby put a laundry pod in her mouth and it burst, she's gagging.",
        "My son ate some of the mushrooms growing in our yard.",
        "My toddler drank a little of my mouthwash, the whole cap.",
        "#negated He's not coughing or anything but my 2 year old definitely swallowed a button battery.",
        "#negated She seems totally fine, no symptoms, but my toddler just ate three of my sertraline.",
        "@child|{W} swallowed a button battery {when}.",
        "@child|{W} got into {childstuff} {when} and some are missing.",
        "@child|{W} bit into a laundry detergent pod {when} and is coughing.",
        "@child|{W} swallowed some magnets from a toy {when}.",
        "@child|{W} drank some {chem} {when}.",
        "@child|{W} ate a few pills off the floor {when}, I don't know what they were.",
    ],
    "breathing": [
        "My dad collapsed and he's not breathing.",
        "My husband is unresponsive and his lips are blue.",
        "My baby stopped breathing for a few seconds and is limp.",
        "Someone is choking and can't talk or cough.",
        "I'm choking on a piece of meat, I can barely breathe.",
        "My asthma inhaler isn't working and I can't get words out.",
        "My friend passed out and won't wake up, she's breathing weird.",
        "I can't breathe.",
        "My grandma fell and isn't responding when I shake her.",
        "My son is gasping and his chest is sucking in with every breath.",
        "My roommate is turning blue.",
        "My toddler put a grape in his mouth and now he's not making any sound.",
        "My mom is gasping for air and can't finish a sentence.",
        "A guy collapsed at the gym and isn't moving.",
        "My wife fainted and now she's snoring weirdly and won't wake up.",
        "I found my brother on the floor, he's not breathing and I can't feel a pulse.",
        "My baby is grunting with each breath and her skin looks gray.",
        "I'm having the worst asthma attack of my life and my lips feel numb.",
        "My dad choked on food and now he's unconscious.",
        "My daughter fell in the pool and isn't breathing.",
        "I pulled my son out of the bath and he's not breathing.",
        "My COPD is really bad, I can't breathe even sitting still and my oxygen says 82.",
        "My grandpa is really hard to wake up and he's breathing very slowly.",
        "My friend is unconscious after drinking all night and only breathes every few seconds.",
        "I suddenly can't catch my breath at all and I'm coughing up pink froth.",
        "My baby's lips are blue.",
        "Someone just fainted on the train and isn't responding.",
        "My newborn keeps stopping breathing for like 20 seconds at a time.",
        "My brother got hit in the chest with a baseball and collapsed.",
        "My oxygen is 79 percent and dropping, I feel like I'm suffocating.",
        "My toddler inhaled a peanut and is coughing and wheezing nonstop.",
        "My son is wheezing so hard he can't walk or talk.",
        "I found my neighbor slumped over in her car, not responding.",
        "My husband won't wake up and he's breathing really strangely, like gasping.",
        "cant breathe, chest so tight, inhaler doing nothing",
        "My mom is breathing but I can't wake her up no matter what I do.",
        "Something is stuck in my throat and I can only make squeaky sounds.",
        "#negated No he didn't hit his head, he just suddenly dropped and now he's not breathing right.",
        "@anyone|{W} collapsed {when} and {am} not breathing.",
        "@anyone|{W} {am} choking and can't breathe or talk.",
        "@anyone|{W} won't wake up and {P} lips are turning blue.",
        "@all|{W} {am} struggling to breathe and {P} lips look blue.",
        "@anyone|{W} passed out {when} and {isnt} responding.",
        "@anyone|{W} {am} limp and barely breathing.",
        "@anyone|{W} choked on food {when} and now {S} {am} unconscious.",
    ],
    "chest_pain": [
        "Crushing chest pain spreading to my left arm and jaw, and I'm sweating.",
        "My chest feels like an elephant is sitting on it and I'm nauseous.",
        "I have tight chest pain that started 20 minutes ago and it's not going away with rest.",
        "My dad is clutching his chest and sweating, and he's pale.",
        "Pressure in my chest and my arm is numb, I'm 58 and diabetic.",
        "Sudden sharp chest pain when I breathe in, I just got off a long flight and my calf is swollen.",
        "My heart is racing at 200 and I feel like I'm going to pass out.",
        "I have chest pain and shortness of breath and I feel like something is terribly wrong.",
        "My husband's chest pain won't go away, he took a nitro and it didn't help.",
        "I'm 52 and having jaw pain, nausea, extreme fatigue and a squeezing feeling in my upper back.",
        "Chest pain tearing through to my back, worst pain of my life.",
        "Heart attack symptoms? Chest tight, left arm tingling, cold sweat right now.",
        "My mom collapsed with no pulse, someone is doing CPR.",
        "My ICD just shocked me three times in a row.",
        "I feel like my heart is stopping and starting and I'm very dizzy.",
        "My chest hurts so bad I can't stand up straight, it started while I was shoveling snow.",
        "I'm 35, I used cocaine last night and now I have chest pain.",
        "Heavy pressure in my chest for 30 minutes and nausea, my dad died of a heart attack at my age.",
        "Sharp chest pain and I'm coughing up blood.",
        "I have chest pain and I'm on the floor, I can't get up.",
        "My heart is beating so irregularly and I'm about to black out.",
        "My grandpa says his chest is burning and his left arm feels heavy.",
        "The pain in my chest is getting worse and now I'm throwing up and sweaty.",
        "I think I'm having a heart attack.",
        "My heart rate suddenly dropped to 35 and I feel like fainting.",
        "I can't tell if this is a panic attack or a heart attack, it's been 40 minutes and the pain is spreading to my arm.",
        "My coworker just grabbed his chest and fell off his chair.",
        "My smartwatch says AFib and my chest hurts and I'm short of breath.",
        "My dad is 70, says it's just indigestion but he's gray and sweaty and can't catch his breath.",
        "My wife's heart stopped, I'm doing CPR, what do I do?",
        "Chest pain woke me up and it's radiating to my neck.",
        "I had chest pain and nearly passed out while running just now.",
        "I had bypass surgery last month and now I'm getting chest pain like before.",
        "chest hurts bad and my left arm is going numb what do i do",
        "My chest is squeezing and my heart is skipping beats, I'm 63.",
        "#negated I'm not one to complain but this chest pressure won't go away and I'm drenched in sweat.",
        "#negated No chest pain exactly, more like heavy squeezing, and my left arm went numb and I'm sweating buckets.",
        "#negated It's not anxiety, I know what that feels like, this is crushing pain in my chest and jaw.",
        "@any|{W} {am} having crushing chest pain that's spreading to {P} left arm, it's been going {since}.",
        "@others|{W} {am} sweating and clutching {P} chest and says it feels like pressure.",
        "@any|{Wp} chest feels tight and heavy and {S} {am} short of breath, it's been like this {since}.",
        "@others|{W} grabbed {P} chest and collapsed {when}.",
        "@others|{Wp} heart stopped {when} and we're doing CPR.",
        "@any|{W} {have} chest pain and {P} jaw and left arm ache, started {when}.",
    ],
    "stroke": [
        "My mom's face is drooping on one side and her speech is slurred.",
        "I suddenly can't lift my right arm and my words are coming out wrong.",
        "My husband woke up and can't talk properly, his mouth is crooked.",
        "Worst headache of my life came on suddenly like a thunderclap.",
        "I suddenly lost vision in one eye and my left hand feels numb.",
        "My dad is confused, can't find words and his left side is weak.",
        "Half my face went numb 10 minutes ago and I'm dizzy.",
        "My grandma is slurring and can't hold her coffee cup.",
        "I'm having trouble understanding what people say and my arm feels heavy, it started suddenly.",
        "My wife's smile is lopsided and she can't raise both arms.",
        "Sudden dizziness, I can't walk straight, double vision and vomiting.",
        "my speech is slurred but i havent been drinking",
        "My coworker suddenly started talking gibberish.",
        "My dad's face looks droopy and he's not making sense.",
        "I can't feel the left side of my body.",
        "Sudden numbness on one side and the worst headache ever.",
        "My mother can't speak all of a sudden and is drooling from one side.",
        "I'm typing with one hand because my right side just stopped working.",
        "My grandpa suddenly can't see on his left side and keeps bumping into things.",
        "My face feels numb and my words are jumbled, is this a stroke?",
        "My husband fell and now one arm is limp and he can't talk.",
        "My mom had a mini stroke last year and now the same symptoms are back, her arm is weak right now.",
        "I suddenly can't walk, my leg won't cooperate and my vision is blurry.",
        "It's been 30 minutes since my dad started slurring his words.",
        "My friend's eye and mouth are drooping on one side and she seems confused.",
        "My neighbor is slumped in his chair and can't move one side.",
        "I woke up and I can't move my right arm or leg.",
        "Sudden severe headache, stiff neck and I'm vomiting.",
        "My aunt's words came out completely wrong and her face drooped for a minute, and now it's happening again.",
        "i think im having a stroke my hand wont work and my mouth feels weird",
        "My grandpa keeps dropping things with his right hand and his speech just turned slurry.",
        "#negated No headache or anything, just my left hand and face went numb suddenly and my speech is weird.",
        "#negated I'm not drunk, I swear, but I suddenly can't say words right and my arm is heavy.",
        "@any|{W} suddenly can't lift {P} {side} arm and {P} speech is slurred.",
        "@any|{Wp} face started drooping on one side {when}.",
        "@others|{W} {am} suddenly confused and can't get words out, it started {when}.",
        "@any|{W} {have} the worst headache of {P} life, it hit suddenly {when}.",
        "@any|{W} suddenly lost vision in one eye and {P} {side} leg feels weak.",
        "@others|{Wp} words are slurred and {P} {side} side went weak {when}.",
    ],
    "anaphylaxis": [
        "I ate shrimp and my throat is closing up.",
        "My lips and tongue are swelling after eating something with nuts.",
        "Got stung by a bee and now I have hives everywhere and feel faint.",
        "My son is allergic to peanuts and just ate a cookie, he's coughing and his face is swelling.",
        "I used my epipen but I'm still wheezing and my throat feels tight.",
        "I started a new antibiotic and now my tongue feels huge and I can't swallow.",
        "My face is swelling up after I took amoxicillin and my voice sounds weird.",
        "I'm having an allergic reaction, my throat is tight and I'm dizzy.",
        "My daughter got stung and her eyes are swelling shut and she's wheezing.",
        "I think I'm going into anaphylaxis.",
        "Hives spreading all over my body, my lips are tingling and swelling, started 10 min ago.",
        "My wife ate a dish with sesame and is vomiting and wheezing and covered in hives.",
        "After the contrast dye my tongue is swelling.",
        "I don't have an epipen and I'm having a bad reaction to cashews, my throat is itchy and tight.",
        "My tongue is swelling and I can barely talk.",
        "My husband took ibuprofen and now his face and lips are huge.",
        "My baby had egg for the first time and is covered in hives, vomiting and floppy.",
        "Wasp sting 15 minutes ago, now my chest is tight and I feel like I'm going to pass out.",
        "I'm allergic to penicillin and just realized the pill I took was penicillin, my throat feels weird.",
        "My throat feels like it's swelling shut.",
        "I was eating Thai food and now my voice is hoarse and I'm struggling to swallow.",
        "My lips are blowing up and I'm getting hives after my new medication.",
        "I used my epipen 10 minutes ago and the symptoms are coming back.",
        "My friend ate something with peanuts and is gasping and has hives.",
        "I got a shot at the clinic and now I'm breaking out in hives and feel faint.",
        "My kid is allergic to tree nuts, ate a brownie, and now he's throwing up and wheezing.",
        "My throat is tight and itchy and my tongue feels thick after eating kiwi.",
        "Severe allergic reaction, swelling around my eyes and mouth and it's hard to breathe.",
        "throat closing up after peanuts, no epipen, help",
        "My partner's face is swelling after a bee sting and his voice is going.",
        "#negated I'm not having trouble breathing yet but my lips and tongue are swelling fast after peanuts.",
        "#negated No hives, but my throat is closing and I feel faint after a bee sting.",
        "#negated It's not a normal rash, my whole face is puffing up and I can't swallow properly.",
        "@all|{W} ate {allergen} {when} and {P} throat is swelling.",
        "@all|{W} got stung by a {insect} {when} and {P} face and lips are swelling.",
        "@any|{Wp} tongue is swelling after taking {abx} {when}.",
        "@all|{W} {am} covered in hives and wheezing after eating {allergen}.",
        "@all|{W} ate {allergen} by accident and {P} voice is getting hoarse and {S} {am} short of breath.",
    ],
    "seizure": [
        "My son has been seizing for 6 minutes and it won't stop.",
        "My wife had a seizure, it stopped, and now she's having another one without waking up.",
        "My daughter's seizure has lasted over 5 minutes.",
        "My epileptic brother is having back to back seizures.",
        "My baby has a high fever and is shaking and not responding.",
        "My dad is having a seizure for the first time ever.",
        "Someone is having a seizure on the bus and it's been going for a while.",
        "My roommate is convulsing and her lips are turning blue.",
        "Third seizure in an hour and she's not coming back to normal.",
        "My son's rescue medicine didn't stop the seizure.",
        "My husband is shaking all over, foaming at the mouth and won't respond.",
        "My friend took something at the party and now she's seizing.",
        "My grandmother keeps having seizures one after another.",
        "My toddler is twitching on one side of his body and not responding to me.",
        "I keep having seizures today, this is the fourth.",
        "My sister hit her head and now she's having a seizure.",
        "My daughter had a seizure in the bath.",
        "My son's seizure stopped but he's not breathing normally and won't wake up.",
        "He's been jerking for almost 10 minutes, what do I do?",
        "My pregnant wife just had a seizure.",
        "My mom is diabetic, her sugar is really low and now she's having a seizure.",
        "My boyfriend is having a seizure and he's never had one before.",
        "My coworker fell down and is convulsing.",
        "Seizure cluster, 3 in 20 minutes, and my daughter's rescue meds are at school.",
        "My son is staring and unresponsive and his arm has been jerking for 15 minutes.",
        "My brother is withdrawing from alcohol and just had a seizure.",
        "My 2 year old is having a febrile seizure and it's been 7 minutes.",
        "I stopped my epilepsy meds suddenly and I've had two seizures this morning.",
        "My friend's seizure won't stop and she's turning gray.",
        "my kid is having a fit and it wont stop its been ages",
        "My husband had a seizure and hasn't woken up for 20 minutes.",
        "#negated She doesn't have epilepsy, but she's been shaking and unresponsive for 5 minutes now.",
        "#negated I don't think it's a normal seizure for him, it's been over 8 minutes and the buccal midazolam didn't work.",
        "@anyone|{W} {have} been seizing for {mins} minutes and it won't stop.",
        "@anyone|{W} had a seizure {when} and now {am} having another one.",
        "@anyone|{W} {am} convulsing and not responding.",
        "@anyone|{W} had three seizures in a row {when} and {isnt} waking up in between.",
    ],
}

# ---------------------------------------------------------------------------
# HAND-WRITTEN: ANIMAL (animal/pet emergency -> vet, not a human emergency)
# ---------------------------------------------------------------------------
ANIMAL = [
    "My dog just ate a whole bar of dark chocolate.",
    "My cat chewed on a lily leaf.",
    "My dog is having a seizure and it won't stop.",
    "My puppy swallowed a sock and keeps trying to throw up.",
    "My dog got into the rat poison.",
    "My cat isn't breathing.",
    "My dog ate my ibuprofen, like 5 of them.",
    "My rabbit collapsed and won't move.",
    "My dog drank antifreeze off the garage floor.",
    "My dog's belly is swollen and hard and he's retching but nothing comes out.",
    "My cat hasn't peed all day and keeps straining and crying in the litter box.",
    "My dog ate a bunch of grapes.",
    "My dog ate sugar-free gum with xylitol.",
    "My dog just got hit by a car.",
    "My cat ate some of my antidepressants.",
    "My parrot is fluffed up on the bottom of the cage and his tail bobs with every breath.",
    "My horse is rolling and kicking at his belly.",
    "My dog was bitten by a rattlesnake on the face.",
    "My dog got stung and his face is swelling and he's struggling to breathe.",
    "My dog is choking on a ball.",
    "My kitten fell from the balcony.",
    "My dog ate a whole bag of raisins.",
    "My cat got some of the dog flea treatment on her and now she's twitching.",
    "My dog ate a bunch of my edibles and is stumbling and dribbling urine.",
    "My hamster is bleeding and it won't stop.",
    "My dog is vomiting blood.",
    "My dog overheated on a walk and collapsed.",
    "My cat swallowed a string and it's hanging out of his mouth.",
    "My dog licked up some spilled bleach.",
    "My guinea pig isn't moving and is breathing fast.",
    "My dog ate my heart pills that fell on the floor.",
    "My dog ate a mushroom in the yard and now he's drooling a lot.",
    "My puppy chewed up a battery.",
    "My dog's gums are white and he's really weak.",
    "My cat is panting with her mouth open and won't get up.",
    "My dog swallowed a fish hook.",
    "My dog was attacked by another dog and is bleeding badly.",
    "My dog ate a cooked chicken bone and is gagging.",
    "my cat ate a lily petal an hour ago, she seems ok?",
    "My dog can't stand up and his eyes are darting side to side.",
    "My dog ate a whole tube of my toothpaste with xylitol.",
    "Our bunny hasn't eaten or pooped since yesterday and is hunched in the corner.",
    "My dog is having trouble breathing after eating something in the park.",
    "@any|{dog} ate {dogpoison} {when}.",
    "@any|{dog} got into {dogpoison} {when}, what should I do?",
    "@any|{pet} collapsed {when} and is breathing really fast.",
    "@any|{pet} is having a seizure that won't stop.",
    "@any|{cat} chewed on a lily {when}.",
    "@any|{dog} got hit by a car {when} and is bleeding.",
    "@any|{dog} swallowed a corn cob {when} and keeps vomiting.",
]

# ---------------------------------------------------------------------------
# HAND-WRITTEN: NON-EMERGENCY LOOK-ALIKES (keyed by variety)
# ---------------------------------------------------------------------------
LOOKALIKE = {
    "figurative": [
        "My boss is killing me with these deadlines.",
        "I'm dying to know if I can take ibuprofen with my blood pressure meds.",
        "This heat is going to kill me, how much water should I be drinking?",
        "My feet are killing me after my shift, what helps plantar fasciitis?",
        "I nearly died laughing at the wedding video.",
        "I could murder a burger right now. Is intermittent fasting actually good for me?",
        "This flu is killing me, how long does it usually last?",
        "Math homework is literally giving me a heart attack lol.",
        "My mom is going to kill me when she sees this haircut.",
        "My electricity bill just gave me a heart attack.",
        "I'm dead 💀 that meme is too good.",
        "This exam is going to be the death of me.",
        "I keep choking under pressure at work, any tips for performance anxiety?",
        "I overdosed on Netflix this weekend and now my eyes hurt.",
        "I swear I'm allergic to Mondays.",
        "My kids are driving me to an early grave haha, how do I get better sleep?",
        "I'd kill for 8 hours of sleep.",
        "This cold is killing me, can I take DayQuil and ibuprofen together?",
        "I almost had a stroke when I saw the price of my insulin.",
        "I'm drowning in paperwork this week.",
        "My heart stopped when my daughter told me she's engaged!",
        "These cramps are murdering me, what's the best painkiller for period pain?",
        "I'm so bored I could die.",
        "My sister had a total fit over the concert tickets.",
        "This spicy ramen nearly killed me lol.",
        "Ugh I want to die, I just sent the email to the wrong person lol.",
        "Kill me now, I have a four hour meeting.",
        "My legs are dead after leg day, is it normal to be sore for 3 days?",
        "That roller coaster nearly gave me a heart attack.",
        "I'm going to lose my mind if this headache doesn't go away, what can I take besides tylenol?",
        "My toddler is killing me with these 4am wake-ups.",
        "Running stairs is murdering my knees.",
        "My coworker's perfume is suffocating me.",
        "I'm drowning in allergy season, which antihistamine is least drowsy?",
        "This job is slowly killing me, can stress cause hair loss?",
        "My phone died and I missed my dose, should I take it late?",
        "I'm dying of boredom in this waiting room.",
        "I'm about to pass out from hunger, can I take metformin on an empty stomach?",
        "This humidity is choking me.",
        "I've been killing it at the gym lately, how much protein do I need?",
        "I'm dying for a coffee but can I have caffeine with my thyroid pill?",
        "That plot twist gave me a stroke.",
        "We killed a bottle of wine last weekend, is it okay to start my antibiotics now?",
        "Those wings were so hot my throat was on fire.",
        "My brain is fried after this exam week.",
        "I'm going to kill my brother if he eats my leftovers again.",
        "I'm sick to death of this cough, it's been two weeks.",
        "This commute is going to be the death of me.",
        "My back is killing me after moving house, heat or ice?",
        "Lol my cat gave me a heart attack jumping on me at 3am.",
        "This diet is killing me, I'm starving all the time.",
        "I think this playlist is trying to kill me, every song makes me cry haha.",
        "My knees are screaming after that hike, is that normal at 40?",
        "I'm literally dying of cuteness, my niece just said my name.",
        "My sinuses are trying to murder me, which decongestant is best?",
        "My wallet overdosed on Black Friday sales.",
        "I almost choked laughing when my kid said that.",
        "Wow this hangover wants me dead, what actually helps?",
        "I'm going to die of embarrassment, I called my teacher mom.",
        "My boss is giving me a heart attack with all these last minute changes.",
        "My son says his coach is killing him at practice, how much water should a teen drink during sports?",
        "My coworker keeps saying this project is killing him lol.",
        "My mom said the price of her meds almost gave her a heart attack.",
        "My husband keeps joking that the kids will be the death of him.",
        "My friend swears her boss is trying to kill her with overtime.",
        "My daughter says she'll literally die if she has to wear her brother's old coat.",
        "@others|{W} keep{s} saying {P} job is killing {O}. Can stress actually make you sick?",
    ],
    "negated": [
        "I'm not suicidal, but can sertraline make me feel more anxious in the first couple of weeks?",
        "No chest pain, just a mild cough and a runny nose for 3 days.",
        "I don't have any thoughts of hurting myself, I just feel flat lately. Could it be my thyroid?",
        "No trouble breathing or swelling, just a small itchy rash after trying a new soap.",
        "I'm not having a stroke or anything lol, but my eyelid has been twitching for a week.",
        "Not an emergency: my son has a low fever of 99.5 and is playing normally.",
        "I haven't taken too much of anything, I'm just wondering how far apart I should space my tylenol doses.",
        "Nobody is hurt, I just want to know what a carbon monoxide detector sounds like when the battery is low.",
        "No fainting, no chest pain, my heart just races a little after coffee.",
        "I've never hurt myself and don't plan to, but a friend told me she used to. How can I support her?",
        "There's no bleeding anymore and the cut has closed up nicely, how long until I can swim?",
        "I'm not choking, it just feels like there's a lump in my throat when I'm anxious.",
        "No swelling, no hives, just a slightly itchy throat during pollen season.",
        "I don't want to die or anything, I'm just exhausted all the time. Should I get bloodwork?",
        "No seizures since I started lamotrigine two years ago, can I ask to lower my dose?",
        "He's breathing fine and talking, just has a small bump on his forehead after sliding off the couch.",
        "Not overdosing, relax 😂 just asking if two advil is fine with my coffee.",
        "No numbness or weakness, just a regular tension headache every afternoon.",
        "I haven't had any chest pain, but my doctor said my cholesterol is high. What foods help?",
        "No difficulty breathing, but I get a stuffy nose every time I drink wine.",
        "I'm not thinking about suicide, I promise, I just want to know which antidepressant has the fewest side effects.",
        "No thoughts of self harm at all, just trouble sleeping since I started a new job.",
        "Zero allergy symptoms right now, but should I still carry an epipen for a mild peanut allergy?",
        "I'm not having a heart attack, my watch just says my resting heart rate is 52 and I run a lot.",
        "It wasn't a seizure, the neurologist said it was a faint. How do I prevent fainting spells?",
        "Nobody ate them, I just want to know if the mushrooms growing in my lawn are toxic.",
        "I've never taken more than prescribed, but can you build a tolerance to gabapentin?",
        "I don't feel like hurting anyone or myself, I'm just irritable a lot. Is that a symptom of depression?",
        "My husband isn't unconscious, he's just a very heavy sleeper who snores. Could it be sleep apnea?",
        "No blue lips, no wheezing, my son just has a barky cough at night.",
        "I'm not bleeding much at all, just a paper cut that keeps reopening.",
        "No drooping face or slurred speech, but I get pins and needles in my hand when I wake up.",
        "Not suicidal, just curious: is it normal to cry more on birth control?",
        "It's not an emergency, but I forgot my blood pressure pill yesterday. Should I double up today?",
        "I didn't take too many, I took one melatonin and it isn't working. Can I take another tomorrow night?",
        "She didn't swallow anything, she only had the battery in her hand and I took it away. How do I childproof the remote?",
        "Not a crisis or anything, but how do I find a therapist who takes my insurance?",
        "I'm not in any danger, but I'd like to understand the black box warning on my antidepressant.",
        "No shortness of breath, just a tickly cough that won't quit.",
        "Nothing was spiked, I just get a bad headache after one glass of red wine. Why?",
        "I'm not allergic to anything that I know of, is it safe to try peanut butter for the first time as an adult?",
        "No overdose here, I just want to know if my ibuprofen is expired after 3 years.",
        "Nobody collapsed, I just want to take a CPR class. Where do I find one?",
        "No suicidal thoughts, but I've lost interest in hobbies. Is that burnout or depression?",
        "I'm not cutting or anything, I just pick at my skin when I'm stressed. How do I stop?",
        "It didn't turn into a seizure, his fever came down with tylenol. What temperature should worry me?",
        "I'm not poisoned lol, I just ate leftover rice and my stomach feels a bit off.",
        "No chest pain or arm pain, just heartburn after pizza. Is Tums okay?",
        "My lips aren't swelling, they're just chapped from the cold. Best lip balm?",
        "No, I don't want to kill myself, I just hate my job. How do I deal with work stress?",
        "My friend is not suicidal, she's just sad since her breakup. How can I cheer her up?",
        "My dad has no chest pain, but his doctor wants a stress test because of his age.",
        "My wife isn't having an allergic reaction, she just gets a runny nose around cats.",
        "Grandma is fine, no chest pain, she just gets a bit breathless climbing stairs at 85.",
        "Not suicidal, just really bored with life lately.",
        "No chest pain at all, but my smartwatch keeps flagging a high heart rate during workouts.",
        "My son didn't swallow anything, he just put the magnet near his mouth and I grabbed it.",
        "@others|{W} {am} not suicidal, but {S} {have} been sleeping a lot and skipping meals. How can I help?",
    ],
    "past": [
        "When I was a teen I used to cut, now I have scars. What helps them fade?",
        "I attempted suicide 10 years ago and I'm doing well now. Should I tell my new doctor?",
        "I had a heart attack 3 years ago, is it safe to start running again?",
        "My dad had a stroke in 2019, what diet helps prevent another one?",
        "I overdosed on tylenol in college, could my liver still be damaged?",
        "My son swallowed a coin last year and it passed fine. Should we have done an x-ray?",
        "I had anaphylaxis to shrimp as a kid, can you outgrow a shellfish allergy?",
        "I had one seizure 5 years ago, can I get a driver's license?",
        "My daughter choked on a grape last year and now she's scared to eat. How do I help her?",
        "I had carbon monoxide poisoning years ago, are there long-term effects on memory?",
        "I used to self harm in high school and I've been clean for 6 years. I still get urges sometimes, is that normal?",
        "When I was 19 I took a bunch of pills to end it. I'm 34 now and in a good place, but anniversaries are hard. Any coping tips?",
        "I went into anaphylaxis from a bee sting back in 2015, should I look into allergy shots?",
        "My grandma had a TIA last year and she's fine now, what follow-ups does she need?",
        "After my heart attack two years ago my doctor put me on 4 meds, can I take them all at once in the morning?",
        "I went through a suicidal period after my divorce years ago, but it passed. Can it come back if I stop my meds?",
        "My baby stopped breathing briefly at birth, she's 2 now and healthy. Should I worry about her development?",
        "My toddler got into a tide pod last year and poison control said he was fine. How do I store them safely now?",
        "I survived a cardiac arrest in 2020, am I allowed to fly?",
        "Years ago I drank bleach in a suicide attempt and my throat still feels tight when I swallow. Should I see a GI doctor?",
        "I had a bad allergic reaction to amoxicillin as a child. Can I take cephalexin?",
        "I was spiked at a bar two years ago and I still get anxious going out. Is that PTSD?",
        "I used to have seizures as a kid but grew out of them. Can I stop wearing my medical bracelet?",
        "My brother overdosed on heroin last year and survived. Where can I get naloxone to keep at home just in case?",
        "My wife had a stroke 6 months ago and gets tired easily, is that normal during recovery?",
        "My husband choked on steak a few years ago and I didn't know what to do. Where can I learn the Heimlich?",
        "My son had a febrile seizure when he was 1, is he more likely to develop epilepsy?",
        "I had a panic attack last month that felt like a heart attack, the ER said my heart is fine. How do I stop them?",
        "Last month I cut my finger deep while cooking and got stitches, when do they come out?",
        "My old roommate tried to kill herself years ago and I still think about it. Is it normal to feel guilty?",
        "My mother's heart stopped during surgery two years ago but she recovered. Does it raise her risk with anesthesia?",
        "Back in my twenties I overdosed twice on painkillers. I've been sober 8 years. Is it safe to have surgery?",
        "My daughter swallowed two magnets when she was 4 and needed surgery, she's fine now. Why are those toys still sold?",
        "I had a scary reaction to a wasp sting as a kid with swelling everywhere. Should I carry an epipen as an adult?",
        "I was suicidal during my first year of university but I'm okay now. Is it safe to stop therapy?",
        "My grandpa died of a stroke many years ago. Am I at higher genetic risk?",
        "My friend choked at dinner last year but coughed it out and was fine. Should she have seen a doctor?",
        "I got food poisoning from wild mushrooms when I was a kid. Are some people more sensitive to them?",
        "My son had a button battery removed from his esophagus when he was 2. He's 6 now, does he need check-ups?",
        "I used to burn myself when I was younger, the scars are faded now. Can I get tattoos over them?",
        "I had a mini stroke three years ago and I'm on aspirin. Can I take ibuprofen for a headache?",
        "Years ago I passed out and stopped breathing from an asthma attack. Should I still carry two inhalers?",
        "My dad had a heart attack at 50. At what age should I start getting screened?",
        "In 2017 I had status epilepticus and was in the ICU. Can I ever stop my seizure meds?",
        "I accidentally took my dad's pills once as a kid and had to get my stomach pumped. Is that why I hate swallowing pills?",
        "When I was 15 I was hospitalized after an overdose. Will that show up on my medical record for a job?",
        "My mom was poisoned by carbon monoxide from a heater back in 2010. Does that increase dementia risk?",
        "I had a suicide attempt a long time ago. How do I explain the gap in my resume?",
        "My husband had a heart attack 4 years ago and is now cleared for exercise.",
        "Grandma had a stroke back in 2017 and has been stable since. She wants to travel.",
        "My roommate used to self-harm in high school but has been fine for years, she wants laser treatment for her scars.",
        "My 3 year old choked on a grape last year and now we cut everything into quarters.",
        "My brother overdosed years ago and has been sober ever since. Can he donate blood?",
        "My son had a febrile seizure years ago and has been fine since.",
        "My sister's epilepsy has been controlled for years and she wants to get pregnant.",
        "My daughter swallowed a penny when she was little and it passed on its own.",
        "My grandpa survived a cardiac arrest 10 years ago and still gets his defibrillator checked.",
        "Had a seizure once in 2015, never again since.",
        "Used to cut in my teens, the scars are still visible and I'm self-conscious about them.",
        "My therapist and I talked about the overdose I had years ago, it felt good to finally talk about it.",
        "@others|{W} had a seizure {ago} and {have} been seizure-free since. Can {S} stop {P} medication?",
        "@others|{W} had an allergic reaction to shellfish as a kid but {have} been fine since. Should {S} get retested?",
    ],
    "hypothetical": [
        "Hypothetically, how long can a person survive without breathing?",
        "What would you do if you found someone unconscious in a parking lot?",
        "For my nursing exam: what are the stages of an aspirin overdose?",
        "If someone was having a stroke, how would I know?",
        "In the novel I'm writing, a character gets carbon monoxide poisoning. What symptoms would she notice first?",
        "If my kid ever swallowed a magnet, what should I do?",
        "What would happen if you mixed bleach and vinegar? Asking before I clean.",
        "If someone has a seizure, should you put something in their mouth?",
        "Suppose someone is stung by a bee and their throat swells, what happens if there's no epipen?",
        "If a friend was suicidal, what signs should I look for?",
        "If I ever accidentally took my pill twice in the future, what should I do?",
        "If someone choked while alone, how could they do the Heimlich on themselves?",
        "What would happen if someone suddenly stopped taking their seizure medication?",
        "Hypothetically, if someone ate a poisonous mushroom, how long before symptoms show up?",
        "If a person had a heart attack on a plane, what would the crew do?",
        "What would happen if a dog ate a whole chocolate cake? Just curious.",
        "If my toddler ever got into the dishwasher pods, would poison control or 911 be better to call?",
        "What happens if someone with a peanut allergy kisses someone who ate peanuts?",
        "If someone fainted at a party, how long should you wait before calling an ambulance?",
        "If a person is found not breathing, how many compressions do you do?",
        "In a first aid class scenario, the victim is choking and goes unconscious. What's the next step?",
        "If someone took an overdose of insulin, what would the ER give them?",
        "Would a person know if they were having a silent heart attack?",
        "What if someone got bleach in their eyes, what's the first thing to do?",
        "If someone self-harms and the cut is deep, when does it need stitches? Writing a first aid guide for our youth group.",
        "In theory, could too much water poison someone?",
        "If I were on a hike and someone had a seizure, what should I do?",
        "What would happen if a child swallowed a coin versus a battery? Which is worse?",
        "If someone was drugged at a party, what would the symptoms look like?",
        "For a screenplay: how does a paramedic assess a possible stroke?",
    ],
    "informational": [
        "Can this drug cause suicidal thoughts? I was just prescribed montelukast.",
        "What is the lethal dose of acetaminophen? Studying for my pharmacology exam.",
        "What are the warning signs of a stroke?",
        "How do I use an epipen properly?",
        "What should I do if someone has a seizure?",
        "Does Chantix really increase suicide risk?",
        "Which household chemicals should never be mixed?",
        "How do I know if my carbon monoxide detector is working?",
        "What is the maximum dose of ibuprofen per day?",
        "What are the symptoms of a heart attack in women?",
        "How do I childproof my house for button batteries?",
        "Is it true that isotretinoin can cause depression?",
        "What's the difference between a panic attack and a heart attack?",
        "How is anaphylaxis treated in the hospital?",
        "What's the antidote for an opioid overdose, and where can I buy naloxone?",
        "How can you tell if a mushroom is poisonous?",
        "How long does it take for high doses of tylenol to damage the liver?",
        "What does FAST stand for with strokes?",
        "How long should a seizure last before you call an ambulance?",
        "Can you die from an allergic reaction to a bee sting?",
        "How do I talk to my teenager about self-harm? I want to be proactive.",
        "What are signs that someone might be self-harming?",
        "How many mg of melatonin is too much for a 10 year old?",
        "Should you chew an aspirin if you think you're having a heart attack?",
        "What's the toxic dose of vitamin A?",
        "How do I do CPR on a baby?",
        "How do you do the Heimlich on a small child?",
        "What's the safe interval between two doses of tramadol?",
        "What are the symptoms of serotonin syndrome?",
        "Does benadryl stop a serious allergic reaction or do you need epinephrine?",
        "Can antidepressants increase suicidal thoughts in teenagers?",
        "At what blood alcohol level does alcohol poisoning happen?",
        "Which garden plants are poisonous to kids?",
        "Is vape liquid toxic if a child drinks it?",
        "What's a normal oxygen saturation level?",
        "Can sleep apnea stop your breathing completely?",
        "What happens in the brain during a seizure?",
        "What are the long-term effects of a mini stroke?",
        "How dangerous is it to mix alcohol and xanax?",
        "Why are button batteries so dangerous if swallowed?",
        "What's the lethal dose of caffeine? Curious after reading about energy drinks.",
        "Is chest pain from acid reflux common?",
        "How do you tell anaphylaxis apart from a mild allergic reaction?",
        "What actually happens in the body during a heart attack?",
        "Can you overdose on vitamin C?",
        "What's the difference between passive and active suicidal ideation?",
        "How do emergency rooms treat an acetaminophen overdose?",
        "What's the maximum daily dose of acetaminophen for someone with liver disease?",
        "Do magnets in kids' toys have to meet safety rules?",
        "What are the side effects of naloxone?",
        "How long does an epipen last before it expires?",
        "Which blood pressure medications are most dangerous in overdose? I'm a pharmacy student.",
        "What is status epilepticus?",
        "Does lithium toxicity happen at normal doses?",
        "What's the best way to store medication so kids can't get to it?",
        "How does carbon monoxide actually poison you?",
        "Are laundry pods really that dangerous for toddlers?",
        "What are the first aid steps for a choking adult?",
        "My teen asked me what a lethal dose of caffeine is after watching a video. I want to explain it calmly.",
        "A friend asked me if antidepressants cause suicidal thoughts. I told her to ask her doctor but I want to know too.",
        "Just finished my first aid course, we learned how to help someone who is choking.",
        "Reading about button battery injuries and now I'm paranoid about the remote.",
    ],
}

# ---------------------------------------------------------------------------
# HAND-WRITTEN: ORDINARY HEALTH QUESTIONS
# ---------------------------------------------------------------------------
ORDINARY = [
    "Can I take ibuprofen with my lisinopril?",
    "What's the best time of day to take levothyroxine?",
    "Is it okay to drink coffee while on amoxicillin?",
    "How long does it take for sertraline to start working?",
    "I have a sore throat and a mild fever, should I see a doctor?",
    "What can I do about heartburn at night?",
    "How much vitamin D should I take in winter?",
    "Can I take melatonin every night?",
    "My son has bright red cheeks and a lacy rash, is it fifth disease?",
    "What's a normal blood pressure for a 60 year old?",
    "How do I lower my cholesterol without statins?",
    "I keep waking up at 3am, any tips?",
    "Is it safe to take tylenol while pregnant?",
    "What foods are high in iron?",
    "How long is the flu contagious?",
    "Should I get the shingles vaccine at 52?",
    "My knee clicks when I climb stairs, is that arthritis?",
    "What's a good stretch for lower back pain?",
    "My toddler has had a runny nose for a week, when should I worry?",
    "Can I drink alcohol on metronidazole?",
    "What are the side effects of metformin?",
    "How much water should I drink a day?",
    "My period is late but the test is negative, why?",
    "Is it normal to feel tired after the covid booster?",
    "What's the difference between a cold and allergies?",
    "Do I need to finish my antibiotics if I feel better?",
    "How do I get rid of a stye?",
    "Can stress cause headaches every day?",
    "I forgot to take my birth control pill yesterday, what should I do?",
    "What's the best sunscreen for sensitive skin?",
    "My baby is teething, what helps with the pain?",
    "Is intermittent fasting safe for diabetics?",
    "Can I split my 50mg tablet in half?",
    "How do I treat a minor burn from the oven?",
    "I have a small cut on my finger, should I use hydrogen peroxide?",
    "What's the dose of children's tylenol for a 25 lb toddler?",
    "Is it normal for my ears to ring after a concert?",
    "How do I know if I have a UTI?",
    "Can I take zyrtec and benadryl on the same day?",
    "Why does my eye keep twitching?",
    "My daughter has head lice, how do I get rid of them?",
    "What's the best way to quit smoking?",
    "How long should I ice a sprained ankle?",
    "Is it okay to exercise with a cold?",
    "What is a normal resting heart rate?",
    "Can gabapentin cause weight gain?",
    "My psoriasis is flaring, any tips?",
    "How can I sleep better with a newborn?",
    "Does cranberry juice help with UTIs?",
    "What vaccines do I need before traveling to Thailand?",
    "Should I get a mole checked if it changed shape?",
    "What's the best way to store insulin when traveling?",
    "How do I read a nutrition label for sodium?",
    "Why do I get leg cramps at night?",
    "Is it safe to take antihistamines long-term?",
    "My iron pills are making me constipated, what can I do?",
    "My fingers turn white in the cold, is that Raynaud's?",
    "How do I taper off prednisone?",
    "Can my 6 year old have ibuprofen for a fever?",
    "Is sparkling water bad for your teeth?",
    "What's the difference between generic and brand-name drugs?",
    "How do I clean my CPAP machine?",
    "What should my A1C be?",
    "Are probiotics worth taking?",
    "My kid's cough is worse at night, any home remedies?",
    "How often should I get a mammogram?",
    "Can I take my antidepressant at night instead of the morning?",
    "Does omeprazole interact with clopidogrel?",
    "I get a bit dizzy when I stand up too fast, why?",
    "How long does a tetanus shot last?",
    "What's a healthy BMI?",
    "My gums bleed a little when I floss, is that gingivitis?",
    "What's a good breakfast for someone with prediabetes?",
    "Is it normal to have acne at 35?",
    "Can I take allergy medicine while breastfeeding?",
    "How do I stop snoring?",
    "What does a high TSH mean?",
    "How do I treat athlete's foot?",
    "Can I fly with a sinus infection?",
    "When can my baby start eating peanut butter?",
    "Is it okay to give honey to a 9 month old?",
    "How many steps a day is healthy?",
    "What's the best way to take iron supplements?",
    "My wisdom tooth hurts, what can I take until my dentist appointment?",
    "Does ashwagandha interact with any medications?",
    "What helps with motion sickness on a cruise?",
    "How much caffeine is safe during pregnancy?",
    "Why do my joints ache in cold weather?",
    "Is yogurt good to eat after antibiotics?",
    "I have a mild headache since starting a new medication, is that common?",
    "Should I take my statin at night?",
    "What's the right way to use a nasal spray?",
    "Can I get a flu shot if I have a cold?",
    "How do I deal with burnout?",
    "Is it normal to feel anxious before a doctor's appointment?",
    "My therapist suggested journaling, does it actually help?",
    "What are some ways to manage mild anxiety without medication?",
    "How do I support a friend who is grieving?",
    "Can I take vitamin B12 and vitamin D together?",
    "What actually helps a hangover?",
    "My kid has pink eye, can he go to school?",
    "Can I use expired ibuprofen?",
    "What's the difference between tylenol and advil?",
    "Why is my pee dark yellow?",
    "How long does it take to recover from a tonsillectomy?",
    "What are good exercises after knee surgery?",
    "Is it normal to have some spotting on the pill?",
    "What's the best treatment for a cold sore?",
    "Any tips for managing IBS?",
    "Is it bad to crack your knuckles?",
    "My doctor said I'm prediabetic, what now?",
    "How often should I replace my toothbrush?",
    "Can I take a hot bath with high blood pressure?",
    "My son still wets the bed at 7, is that normal?",
    "How can I increase my milk supply?",
    "I have a small lump behind my ear that's been there for years, should I get it checked?",
    "Is it okay to run with shin splints?",
    "What are the symptoms of low iron?",
    "Is it okay to drink coffee with my adderall?",
    "How do I know if I need glasses?",
    "My elderly mom keeps forgetting her pills, any tips for reminders?",
    "Can I crush my extended release tablet?",
    "How should I get rid of old prescription pills?",
    "Is it safe to donate blood if I take blood pressure meds?",
    "What causes hiccups?",
    "How do I use an inhaler with a spacer?",
    "My toddler's fever is 101 but he's drinking and playing, do I need to give medicine?",
    "How often should I deworm my cat?",
    "Is fish oil okay to give my dog for his joints?",
    "I've been feeling a bit down since winter started, could it be seasonal affective disorder?",
    "How do I find a psychiatrist near me?",
    "Is it normal to feel emotional after giving birth?",
    "What's the best diet for gout?",
    "Can I take a decongestant with high blood pressure?",
    "How long do the side effects of the shingles shot last?",
    "What's the best position to sleep in with sciatica?",
    "Is it okay to take magnesium for sleep?",
    "How do I know if my child needs speech therapy?",
    "Why do I bruise so easily?",
    "What should I pack in a first aid kit for camping?",
    "Are standing desks actually better for your back?",
    "How much sleep does a teenager need?",
    "I'm starting to lose hair at 28, what are my options?",
    "How do I get my kid to take liquid medicine?",
    "What's the difference between a dermatologist and an esthetician?",
    "How long should I wait to swim after eating?",
    "Can I take my blood pressure reading on my wrist?",
    "What's the recommended amount of fiber per day?",
    "My ankle is a bit swollen after a long flight but feels fine, is that normal?",
    "How often can I use hydrocortisone cream?",
    "Is it bad to sleep with contact lenses in?",
    "How do I cope with my dad's dementia diagnosis?",
    "Does my health insurance cover therapy?",
    "My husband snores so loudly I can't sleep, he says he's fine though.",
    "My mom was just diagnosed with type 2 diabetes and I want to help her change her diet.",
    "My daughter has had a sore throat and a slight fever since yesterday.",
    "My son sprained his wrist at football practice and it's a bit swollen.",
    "My roommate keeps getting cold sores whenever she's stressed.",
    "My coworker says magnesium helps migraines, does it actually work?",
    "Grandma's blood pressure was 150 over 90 at the pharmacy machine today.",
    "My dad needs a walker now, how do we pick a good one?",
    "My 3 year old refuses to eat vegetables and I'm worried about vitamins.",
    "My toddler has a diaper rash that won't clear up.",
    "My baby spits up after every feed but is gaining weight well.",
    "A friend recommended turmeric for joint pain, is there any evidence?",
    "My wife is pregnant and craving ice all the time, is that an iron thing?",
    "My brother has a stubborn plantar wart on his heel.",
    "My girlfriend gets migraines right before her period.",
    "My teenage son has really bad acne and it's hurting his confidence.",
    "My aunt starts chemo next month and asked what she should eat.",
    "My neighbor's kid has chickenpox and my daughter played with him yesterday.",
    "My partner gets heartburn every night after 9pm.",
    "Grandpa keeps getting leg cramps at night.",
    "My coworker keeps sneezing at her desk, how long is a cold contagious?",
    "My best friend wants to quit vaping and asked me for tips.",
    "My little girl has a wobbly tooth and it's bleeding a tiny bit when she eats.",
    "My 4 year old still naps for 2 hours, is that too much?",
    "Just got my second hep B shot, my arm is a bit sore.",
    "I've had a stuffy nose for a week and I'm tired of it.",
    "Need a good stretching routine for tight hamstrings.",
    "Looking for advice on managing my kid's eczema in winter.",
    "Been on lexapro for a month now and my sleep is a bit off.",
    "I want to start running but my knees are weak.",
    "My new glasses are giving me headaches.",
    "Trying to cut down on sugar and struggling with cravings.",
    "I've been getting a lot of canker sores lately.",
    "Starting a new job soon and I want to keep my anxiety in check.",
    "My allergy pills make me drowsy all morning.",
    "Had my wisdom teeth out last week and I'm still a bit swollen.",
    "Thinking about switching from the pill to an IUD.",
    "I want to lose 10 pounds before summer in a healthy way.",
    "My blood test came back showing low vitamin B12.",
    "Feeling a bit run down after a busy month at work.",
    "My hay fever is terrible this year.",
    "@others|{W} {have} a mild cold with a cough but no fever. What can {S} take?",
    "@others|{W} {have} been having trouble sleeping since starting a new job.",
    "@others|{W} want{s} to start running at 50, any tips for beginners?",
    "@others|{W} {have} high blood pressure and want{s} to know if {S} can take decongestants.",
    "@others|{W} {was} diagnosed with asthma as a kid and want{s} to know if {S} can scuba dive.",
    "@others|{Wp} blood pressure was a bit high at the pharmacy today but {S} feel{s} fine.",
    "@others|{W} get{s} pins and needles in {P} hands at night.",
    "@anyone|{W} {have} a runny nose and a mild cough but {am} eating and sleeping well.",
    "@others|{W} just started on metformin and {P} stomach is a bit upset.",
    "@others|{W} need{s} to get {P} tetanus booster, how often is it due?",
    "@any|Can {w} take ibuprofen with {P} blood pressure medication?",
    "@any|{W} {have} had a runny nose and sneezing for three days. Is it a cold or allergies?",
    "@any|{W} {have} trouble falling asleep lately. Is melatonin safe every night?",
    "@any|{W} keep{s} getting heartburn after dinner, what can help?",
    "@any|{W} sprained {P} ankle last week playing soccer. When can {S} start running again?",
    "@all|{W} {have} an itchy rash on {P} arms but otherwise seem{s} fine. Could it be eczema?",
    "@child|{W} {have} a low fever but {am} eating and playing normally. Do I need to give medicine?",
    "@child|What's the right dose of children's ibuprofen for {w}?",
    "@any|{W} {am} starting night shifts at a new job. How can {S} adjust {P} sleep?",
    "@any|Should {w} get the flu shot this year if {S} already had the flu?",
    "@child|{W} {have} a cough that's worse at night but no fever. Any home remedies?",
    "@any|{W} {have} been getting headaches in the afternoon. Could it be dehydration?",
    "@any|{W} just started sertraline. How long until {S} notice{s} a difference?",
    "@any|Is it safe for {w} to drink coffee while taking {P} thyroid medication?",
    "@any|{W} {have} a sore knee after running, should {S} use heat or ice?",
    "@any|{W} {am} always tired in the afternoon. Could it be low iron?",
    "@child|{W} {have} had diarrhea for a day but {am} drinking fine. What should I give?",
    "@any|{W} need{s} a refill of {P} inhaler, can the pharmacy give an early refill?",
]

# ---------------------------------------------------------------------------
# FRAGMENTS -> matched emergency / hypothetical / past look-alike pairs
# ---------------------------------------------------------------------------
FRAGMENTS = [
    ("overdose", "took a whole bottle of tylenol"),
    ("overdose", "swallowed 30 sleeping pills"),
    ("overdose", "injected double {P} usual insulin dose"),
    ("overdose", "took 20 xanax with vodka"),
    ("overdose", "took 50 ibuprofen"),
    ("overdose", "swallowed a handful of {P} antidepressants"),
    ("overdose", "took 10 benadryl at once"),
    ("overdose", "overdosed on {P} blood pressure pills"),
    ("overdose", "drank a whole bottle of cough syrup"),
    ("overdose", "took {P} entire month of lithium at once"),
    ("overdose", "took 40 melatonin tablets"),
    ("overdose", "took 15 extra-strength tylenol"),
    ("overdose", "took way too much fentanyl"),
    ("overdose", "took a whole strip of {P} amitriptyline"),
    ("poisoning", "drank a cup of bleach"),
    ("poisoning", "mixed bleach and ammonia in a tiny bathroom"),
    ("poisoning", "ate a death cap mushroom"),
    ("poisoning", "drank antifreeze"),
    ("poisoning", "breathed car exhaust in a closed garage"),
    ("poisoning", "ate a handful of foxglove leaves"),
    ("poisoning", "drank windshield washer fluid"),
    ("poisoning", "swallowed some rat poison"),
]
CHILD_FRAGMENTS = [
    "swallowed a button battery",
    "swallowed two magnets",
    "bit into a laundry pod",
    "drank some bleach",
    "ate a few of grandma's heart pills",
    "swallowed a lithium coin cell",
    "drank lamp oil",
    "ate rat poison pellets",
    "drank liquid nicotine",
    "ate a whole bottle of gummy vitamins",
    "swallowed a water bead",
    "ate a dishwasher tablet",
]
FRAG_EMERGENCY = ["@any|{W} {frag} {when}.", "@any|{W} {frag} {when}, what should I do?"]
FRAG_HYPO = [
    "What would happen if someone {frag}?",
    "Hypothetically, if a person {frag}, what would the hospital do?",
    "For my pharmacology exam: what happens to the body if a patient {frag}?",
    "I'm writing a mystery novel where a character {frag}. What symptoms would be realistic?",
    "Just curious, could someone survive if they {frag}?",
    "In general, how do paramedics treat someone who {frag}?",
]
FRAG_PAST = [
    ("{ago} I {frag}. I recovered, but could it have caused long-term damage?", ME),
    ("When I was a teenager I {frag}. I'm doing well now, should I tell my new doctor?", ME),
    ("My uncle {frag} {ago} and survived. Does that history change which medications he can take?", ("my uncle", "m")),
    ("{ago}, during a really bad time, I {frag}. I'm okay now. How do I talk about it with my partner?", ME),
    (
        "My sister {frag} {ago} and spent a week in hospital. She's fine now, but should she get her liver and kidneys checked?",
        ("my sister", "f"),
    ),
]
CHILD_FRAG_EMERGENCY = ["@child|{W} {frag} {when}.", "@child|{W} just {frag}, what do I do?"]
CHILD_FRAG_HYPO = [
    "What would happen if a toddler {frag}?",
    "How dangerous is it if a child {frag}? Asking as a new parent.",
    "How would doctors treat a kid who {frag}?",
    "For our daycare first aid training: what is the procedure if a child {frag}?",
]
CHILD_FRAG_PAST = [
    "My son {frag} when he was two. He's eight now and totally fine. Could there be lasting effects?",
    "My daughter {frag} a few years ago and needed a hospital stay. How do I stop feeling so guilty?",
    "When I was little I apparently {frag}, my mom still talks about it. Could it have affected my health?",
]

# ---------------------------------------------------------------------------
# Surface transforms
# ---------------------------------------------------------------------------
BURY_PRE = [
    "Hi, I have a question about my lisinopril, should I take it in the morning or at night?",
    "Quick question: can I take ibuprofen while I'm on amoxicillin?",
    "I've been taking metformin for two weeks and my stomach is upset, is that normal?",
    "My pharmacy switched my levothyroxine to a different generic, is that okay?",
    "Is it fine to take vitamin D and calcium at the same time?",
    "I'm on sertraline 50mg and wondering if I can have a glass of wine at a wedding this weekend.",
    "Can I cut my atorvastatin tablets in half to save money?",
    "My doctor prescribed omeprazole, how long can I stay on it?",
    "How long after my thyroid pill should I wait to eat breakfast?",
    "Does prednisone make you hungry? I feel like I'm eating all day.",
    "Can the pharmacy give me an early refill of my albuterol inhaler?",
    "Can I take zyrtec with my blood pressure medication?",
    "Is it better to take my iron tablets with orange juice?",
    "I got my flu shot yesterday and my arm is sore, is that normal?",
    "Hello, I wanted to ask whether my birth control interacts with antibiotics.",
    "What's the difference between the 12 hour and the 24 hour claritin?",
]
BURY_POST = [
    "Anyway, can I take my antibiotic with milk?",
    "Also, should I take my vitamins with food?",
    "And does grapefruit juice really interact with statins?",
    "Also is it normal that the generic pills look different?",
    "Last thing, how should I store my insulin pens?",
    "And can I still get my flu shot next week?",
    "Oh and is it okay to take melatonin with that?",
    "And one more: what's the max dose of tylenol for a headache?",
]
BURY_JOIN = ["Also, ", "Oh and ", "Also ", "Btw ", "And ", "Also unrelated but ", "Other thing, "]


def end_punct(s):
    s = s.strip()
    return s if s[-1:] in ".?!" or s.endswith(("💀", "😂", "😭")) else s + "."


def lower_first(s):
    if re.match(r"^(I\b|I'|FAST|ER|CPR|ICD|COPD|CO\b|TSH)", s):
        return s
    return s[:1].lower() + s[1:]


def t_bury(s, rng, label):
    m = lower_first(end_punct(s))
    pre, post, join = rng.choice(BURY_PRE), rng.choice(BURY_POST), rng.choice(BURY_JOIN)
    form = rng.randrange(3)
    if form == 0:
        return "%s %s%s %s" % (pre, join, m, post)
    if form == 1:
        return "%s %s%s" % (pre, join, m)
    return "%s %s %s" % (pre, cap1(m), post)


ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEAR = {}
for r in ROWS:
    for i, c in enumerate(r):
        NEAR[c] = (r[i - 1] if i > 0 else "") + (r[i + 1] if i + 1 < len(r) else "")


def t_typo(s, rng, label=None):
    words = s.split(" ")
    idxs = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 4]
    if not idxs:
        return None
    n = 1 if len(idxs) < 6 else rng.choice([1, 2, 2, 3])
    for i in rng.sample(idxs, min(n, len(idxs))):
        w = words[i]
        pos = [j for j, c in enumerate(w) if c.isalpha()][1:]
        j = rng.choice(pos)
        op = rng.choice(["drop", "swap", "double", "near"])
        if op == "drop":
            w = w[:j] + w[j + 1 :]
        elif op == "swap" and w[j - 1].isalpha() and w[j - 1] != w[j]:
            w = w[: j - 1] + w[j] + w[j - 1] + w[j + 1 :]
        elif op == "double":
            w = w[:j] + w[j] + w[j:]
        else:
            c = w[j].lower()
            if c in NEAR:
                w = w[:j] + rng.choice(NEAR[c]) + w[j + 1 :]
            else:
                w = w[:j] + w[j + 1 :]
        words[i] = w
    out = " ".join(words)
    return out if out != s else None


def lowercase_nopunct(s):
    s = s.lower()
    s = re.sub(r"[^\w\s💀😂😭🤷]", "", s)
    return re.sub(r"\s+", " ", s).strip()


SLANG = [
    (r"\bi don't know\b", "idk"),
    (r"\bto be honest\b", "tbh"),
    (r"\bright now\b", "rn"),
    (r"\boh my god\b", "omg"),
    (r"\bgoing to\b", "gonna"),
    (r"\bwant to\b", "wanna"),
    (r"\bI'm\b", "im"),
    (r"\bI am\b", "im"),
    (r"\byou're\b", "ur"),
    (r"\byou\b", "u"),
    (r"\byour\b", "ur"),
    (r"\bare\b", "r"),
    (r"\bbecause\b", "cuz"),
    (r"\bplease\b", "pls"),
    (r"\btonight\b", "tonite"),
    (r"\breally\b", "rly"),
    (r"\bpeople\b", "ppl"),
    (r"\bsomething\b", "smth"),
    (r"\bdon't\b", "dont"),
    (r"\bcan't\b", "cant"),
    (r"\bwon't\b", "wont"),
    (r"\bdoesn't\b", "doesnt"),
    (r"\bokay\b", "ok"),
    (r"\bbefore\b", "b4"),
    (r"\babout\b", "abt"),
    (r"\bprobably\b", "prob"),
    (r"\bseriously\b", "srsly"),
    (r"\bthough\b", "tho"),
    (r"\bminutes\b", "mins"),
    (r"\bhours\b", "hrs"),
    (r"\bboyfriend\b", "bf"),
    (r"\bgirlfriend\b", "gf"),
    (r"\bwith\b", "w"),
    (r"\bthanks\b", "thx"),
    (r"\btomorrow\b", "tmrw"),
    (r"\bbrother\b", "bro"),
    (r"\bsister\b", "sis"),
    (r"\bwhat\b", "wut"),
    (r"\bthat's\b", "thats"),
    (r"\bit's\b", "its"),
    (r"\bmedication\b", "meds"),
    (r"\bbecause\b", "bc"),
    (r"\bsomeone\b", "someone"),
    (r"\bgrandma\b", "gma"),
]
SLANG_PRE_EM = ["", "", "ngl ", "yo ", "um ", "help ", "ok so ", "guys ", "pls "]
SLANG_SUF_EM = ["", " rn", " pls help", " asap", " idk what to do", " 😭", " wtf do i do", " help", " ??"]
SLANG_PRE_NE = ["", "", "ngl ", "yo ", "ok so ", "lowkey ", "bruh ", "tbh "]
SLANG_SUF_NE = ["", " lol", " tbh", " 🤷", " haha", " fr", " lmao", " ??"]


def t_slang(s, rng, label):
    out = s
    for pat, rep in SLANG:
        if rng.random() < (0.25 if rep == "wut" else 0.85):
            out = re.sub(pat, rep, out, flags=re.I)
    if rng.random() < 0.75:
        out = out.lower()
        out = re.sub(r"[.,;:!]+(\s|$)", r"\1", out).strip()
    em = label in ("emergency", "animal")
    pre = rng.choice(SLANG_PRE_EM if em else SLANG_PRE_NE)
    suf = rng.choice(SLANG_SUF_EM if em else SLANG_SUF_NE)
    if pre.strip() and pre.strip() in suf:
        suf = ""
    if pre:
        out = lower_first(out)
    out = pre + out + suf
    return out if out.strip() != s.strip() else None


NONNATIVE = [
    (r"\bI'm\b", "I am"),
    (r"\bdon't\b", "not"),
    (r"\bdoesn't\b", "not"),
    (r"\bcan't\b", "cannot"),
    (r"\bwon't\b", "not"),
    (r"\bisn't\b", "not"),
    (r"\bhaven't\b", "not"),
    (r"\btook\b", "take"),
    (r"\bate\b", "eat"),
    (r"\bdrank\b", "drink"),
    (r"\bswallowed\b", "swallow"),
    (r"\bgot\b", "get"),
    (r"\bstarted\b", "start"),
    (r"\bfell\b", "fall"),
    (r"\bcollapsed\b", "collapse"),
    (r"\bhas been\b", "is"),
    (r"\ban hour ago\b", "before one hour"),
    (r"\bhours ago\b", "hours before"),
    (r"\bminutes ago\b", "minutes before"),
    (r"\bfor (\d+) (minutes|hours)\b", r"since \1 \2"),
    (r"\bis it\b", "it is"),
    (r"\bhe's\b", "he is"),
    (r"\bshe's\b", "she is"),
    (r"\bit's\b", "it is"),
    (r"\bmy son\b", "my boy"),
    (r"\bvery\b", "very much"),
    (r"\bShould I\b", "I should"),
    (r"\bCan I\b", "I can"),
    (r"\bhow many\b", "how much"),
]
NN_PRE = ["", "", "Hello, ", "Hello doctor, ", "Please, ", "Sorry for my english. ", "Good evening, ", "Dear doctor, "]
NN_SUF_EM = [
    "",
    " What I must to do?",
    " Please answer quick.",
    " Please help me.",
    " What we do now?",
    " Help please.",
]
NN_SUF_NE = ["", " Thank you.", " Please advise.", " Is normal?", " I wait your answer.", " Thank you very much."]


def t_nonnative(s, rng, label):
    out = s
    for pat, rep in NONNATIVE:
        if rng.random() < 0.8:
            out = re.sub(pat, rep, out)
    # drop articles
    out = re.sub(r"\b(the|a|an|The|A|An) ", lambda m: "" if rng.random() < 0.65 else m.group(0), out)
    em = label in ("emergency", "animal")
    pre = rng.choice(NN_PRE)
    suf = rng.choice(NN_SUF_EM if em else NN_SUF_NE)
    body = lower_first(out) if pre.endswith(", ") else cap1(out)
    out = (pre + body + suf).strip()
    out = re.sub(r"\s+", " ", out)
    return out if out != s else None


EM_ASK = [
    "What should I do?",
    "What do I do?",
    "Should I go to the ER?",
    "Do I need to call 911?",
    "Is this serious?",
    "Is this an emergency?",
    "Can I wait until morning?",
    "Is it okay to just sleep it off?",
    "How worried should I be?",
    "Do I need an ambulance?",
    "Can someone tell me what to do?",
    "Is this normal?",
    "Should I call my doctor tomorrow?",
    "Is there something I can take for it at home?",
]
AN_ASK = [
    "Do I need an emergency vet?",
    "What should I do?",
    "Is this serious?",
    "Can it wait until the vet opens tomorrow?",
    "Should I try to make my pet throw up?",
    "Is there anything I can give at home?",
]


MH_ASK = [
    "What should I do?",
    "Can you help me?",
    "Who can I talk to right now?",
    "What do I do now?",
    "Is it normal to feel like this?",
    "Is anyone there?",
    "Does anyone ever feel this way?",
    "Can you just talk to me?",
]


def t_ask(s, rng, label, category=""):
    if "?" in s:
        return None
    if label == "animal":
        q = rng.choice(AN_ASK)
    elif category in ("suicide", "self_harm") and not re.search(r"bleed|blood|cut my|sliced|gash", s, re.I):
        q = rng.choice(MH_ASK)
    else:
        q = rng.choice(EM_ASK)
    return end_punct(s) + " " + q


def norm_key(s):
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


# ---------------------------------------------------------------------------
# Entries and variants
# ---------------------------------------------------------------------------
class Entry:
    def __init__(self, raw, label, category, kind, default_variety, source="handwritten", extra=None):
        variety = default_variety
        who = "any"
        if raw.startswith("#"):
            variety, raw = raw[1:].split(" ", 1)
        if raw.startswith("@"):
            who, raw = raw[1:].split("|", 1)
        self.text, self.label, self.category, self.kind = raw, label, category, kind
        self.variety, self.who, self.source = variety, who, source
        self.extra = extra or {}
        self.is_template = bool(TOKEN.search(raw))


def record(text, e, variety):
    return {"text": text, "label": e.label, "category": e.category, "kind": e.kind, "variety": variety}


def compose(base, tag):
    return tag if base == "handwritten" else "%s+%s" % (base, tag)


def make_entry_texts(e, rng):
    """Return (original_text, [(variant_text, tag), ...])."""
    renders = []
    if e.is_template:
        pool = WHO[e.who]
        base_who = ME if ME in pool else rng.choice(pool)
        fixed = dict(e.extra)
        orig, chosen = render(e.text, person(base_who, rng), rng, fixed)
        uses_person = bool(re.search(r"\{(W|w|Wp|wp|S|O|P|R|am|have|dont|s|es|Sm|isnt)\}", e.text))
        if uses_person:
            others = [p for p in pool if p != base_who]
            for p in rng.sample(others, min(3, len(others))):
                renders.append((render(e.text, person(p, rng), rng, fixed)[0], "third person"))
        else:
            for _ in range(2):
                renders.append((render(e.text, person(base_who, rng), rng, fixed)[0], "slot"))
        if "{when}" in e.text:
            alt = [w for w in SLOTS["when"] if w != chosen.get("when")]
            f2 = dict(fixed)
            f2["when"] = rng.choice(alt)
            renders.append((render(e.text, person(base_who, rng), rng, f2)[0], "tense"))
    else:
        orig = e.text
    renders = [(t, g) for t, g in renders if norm_key(t) != norm_key(orig)]
    out = list(renders)
    names = ["typo", "slang", "nonnative", "buried", "lowercase"]
    if e.label in ("emergency", "animal"):
        names.append("ask")
    k = 3 if e.is_template else 4
    for name in rng.sample(names, k):
        if renders and rng.random() < 0.5:
            src, stag = rng.choice(renders)
        else:
            src, stag = orig, None
        if name == "typo":
            res, tag = t_typo(src, rng), "typo"
        elif name == "slang":
            res, tag = t_slang(src, rng, e.label), "slang"
        elif name == "nonnative":
            res, tag = t_nonnative(src, rng, e.label), "non-native"
        elif name == "ask":
            res, tag = t_ask(src, rng, e.label, e.category), "question"
        elif name == "buried":
            res, tag = t_bury(src, rng, e.label), "buried"
        else:
            if stag is None:
                base = t_typo(src, rng) or src
                res, tag = lowercase_nopunct(base), "lowercase+typo"
            else:
                res, tag = lowercase_nopunct(src), "lowercase"
        if (
            res
            and e.label in ("emergency", "animal")
            and name in ("typo", "slang", "nonnative")
            and "?" not in res
            and rng.random() < 0.4
        ):
            res, tag = t_ask(res, rng, e.label, e.category), tag + "+question"
        if res:
            out.append((res, tag if stag is None else "%s+%s" % (stag, tag)))
    # interleave: person/time renders first so that "who"/tense variation survives sampling
    rend = [x for x in out if x in renders]
    surf = [x for x in out if x not in renders]
    rng.shuffle(rend)
    rng.shuffle(surf)
    mixed = []
    while rend or surf:
        if rend:
            mixed.append(rend.pop(0))
        if surf:
            mixed.append(surf.pop(0))
    return orig, mixed[:MAX_VARIANTS]


def build_entries():
    entries = []
    for cat, items in EMERGENCY.items():
        for raw in items:
            entries.append(Entry(raw, "emergency", cat, "", "handwritten"))
    for raw in ANIMAL:
        entries.append(Entry(raw, "animal", "animal", "", "handwritten"))
    for var, items in LOOKALIKE.items():
        for raw in items:
            entries.append(Entry(raw, "non_emergency", "", "lookalike", var))
    for raw in ORDINARY:
        entries.append(Entry(raw, "non_emergency", "", "ordinary", "handwritten"))
    n_hand = len(entries)
    return entries, n_hand


def build_fragment_entries(rng):
    entries = []
    for cat, frag in FRAGMENTS:
        for fr in FRAG_EMERGENCY:
            tpl = fr.replace("{frag}", frag)
            entries.append(Entry(tpl, "emergency", cat, "", "template", source="fragment"))
        for fr in rng.sample(FRAG_HYPO, 2):
            txt = render(fr.replace("{frag}", frag), SOMEONE, rng)[0]
            entries.append(Entry(txt, "non_emergency", "", "lookalike", "hypothetical", source="fragment"))
        for fr, who in rng.sample(FRAG_PAST, 2):
            txt = render(fr.replace("{frag}", frag), person(who, rng), rng)[0]
            entries.append(Entry(txt, "non_emergency", "", "lookalike", "past", source="fragment"))
    for frag in CHILD_FRAGMENTS:
        fr = rng.choice(CHILD_FRAG_EMERGENCY)
        entries.append(
            Entry(fr.replace("{frag}", frag), "emergency", "child_ingestion", "", "template", source="fragment")
        )
        for fr in rng.sample(CHILD_FRAG_HYPO, 2):
            entries.append(
                Entry(fr.replace("{frag}", frag), "non_emergency", "", "lookalike", "hypothetical", source="fragment")
            )
        fr = rng.choice(CHILD_FRAG_PAST)
        entries.append(Entry(fr.replace("{frag}", frag), "non_emergency", "", "lookalike", "past", source="fragment"))
    return entries


def main():
    rng = random.Random(SEED)
    entries, n_hand = build_entries()
    hand_plain = sum(1 for e in entries if not e.is_template)
    assert len({norm_key(e.text) for e in entries}) == n_hand >= 600, "need >= 600 distinct hand-written messages"
    entries += build_fragment_entries(rng)

    # originals + candidate variants, grouped by (label, kind)
    groups = defaultdict(list)
    for e in entries:
        orig, variants = make_entry_texts(e, rng)
        orig_rec = record(orig, e, e.variety)
        var_recs = [record(t, e, compose(e.variety, tag)) for t, tag in variants]
        groups[(e.label, e.kind)].append((orig_rec, var_recs))

    pool = {g: sum(1 + len(v) for _, v in items) for g, items in groups.items()}
    total = min([TARGET_TOTAL] + [int(pool[g] / f) for g, f in FRACTIONS.items()])
    targets = {g: round(total * f) for g, f in FRACTIONS.items()}

    seen, out = set(), []

    def add(rec):
        k = norm_key(rec["text"])
        if not k or k in seen:
            return False
        seen.add(k)
        out.append(rec)
        return True

    per_group = defaultdict(list)
    # originals first (all groups) so that dedupe always keeps the hand-written form
    for g in FRACTIONS:
        for orig_rec, _ in groups[g]:
            if add(orig_rec):
                per_group[g].append(orig_rec)
    for g in FRACTIONS:
        items = list(groups[g])
        rng.shuffle(items)
        queues = [list(v) for _, v in items]
        rnd = 0
        while len(per_group[g]) < targets[g] and any(queues):
            for q in queues:
                if len(per_group[g]) >= targets[g]:
                    break
                while q:
                    rec = q.pop(0)
                    if add(rec):
                        per_group[g].append(rec)
                        break
            rnd += 1

    # keep only the selected records, shuffle deterministically
    selected = [r for g in FRACTIONS for r in per_group[g]]
    rng.shuffle(selected)
    with open(OUT, "w", encoding="utf-8") as f:
        for r in selected:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    counts = validate(OUT)
    write_readme(counts, n_hand, hand_plain)
    print_counts(counts, n_hand, hand_plain)


ALLOWED_LABELS = {"emergency", "animal", "non_emergency"}


def validate(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            r = json.loads(line)
            assert set(r) == {"text", "label", "category", "kind", "variety"}, (i, r)
            assert isinstance(r["text"], str) and r["text"].strip(), (i, r)
            assert "{" not in r["text"] and "}" not in r["text"], (i, r)
            assert r["label"] in ALLOWED_LABELS, (i, r)
            if r["label"] == "emergency":
                assert r["category"] in EMERGENCY_CATS and r["kind"] == "", (i, r)
            elif r["label"] == "animal":
                assert r["category"] == "animal" and r["kind"] == "", (i, r)
            else:
                assert r["category"] == "" and r["kind"] in ("lookalike", "ordinary"), (i, r)
            assert r["variety"], (i, r)
            rows.append(r)
    texts = [r["text"] for r in rows]
    assert len(texts) == len(set(texts)), "exact duplicate texts"
    keys = [norm_key(t) for t in texts]
    assert len(keys) == len(set(keys)), "normalised duplicate texts"
    assert len(rows) >= 2400, len(rows)
    c = {
        "total": len(rows),
        "label": Counter(r["label"] for r in rows),
        "category": Counter(r["category"] for r in rows if r["category"]),
        "kind": Counter(r["kind"] for r in rows if r["kind"]),
        "variety_part": Counter(part for r in rows for part in r["variety"].split("+")),
    }
    return c


def fmt(counter):
    return ", ".join("%s %d" % (k, v) for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def print_counts(c, n_hand, hand_plain):
    print("total", c["total"])
    print("label:", fmt(c["label"]))
    print("category:", fmt(c["category"]))
    print("kind:", fmt(c["kind"]))
    print("variety (each tag component):", fmt(c["variety_part"]))
    print("hand-written base messages: %d (%d plain, %d templates)" % (n_hand, hand_plain, n_hand - hand_plain))


def write_readme(c, n_hand, hand_plain):
    L = c["label"]
    lines = [
        "# Crisis-triage TRAINING set",
        "",
        "`make_triage_train.py` (stdlib only, seed %d) writes `triage_train.jsonl`: %d hand-written base messages"
        " (%d plain + %d person/time templates) plus fragment-derived emergency/look-alike pairs, each expanded"
        " into at most %d variants (third person, tense, typo, slang, lowercase/no punctuation, non-native grammar,"
        " buried in a medication question), deduped on a normalised key and sampled to a fixed label mix."
        % (SEED, n_hand, hand_plain, n_hand - hand_plain, MAX_VARIANTS),
        "",
        "Each line: `{text, label, category, kind, variety}`. label = emergency | animal (pet/animal emergency, needs a vet)"
        " | non_emergency. category (emergency/animal only): suicide, self_harm, overdose, poisoning, child_ingestion,"
        ' breathing, chest_pain, stroke, anaphylaxis, seizure, animal; "" otherwise. kind (non_emergency only):'
        ' lookalike (alarming words but negated/past/figurative/hypothetical/informational) | ordinary; "" otherwise.'
        " variety = how the line was produced (`handwritten`, `negated`, `past`, `figurative`, `hypothetical`,"
        " `informational`, `template`, optionally `+typo`, `+slang`, `+third person`, ...).",
        "",
        "Counts (total %d): emergency %d, animal %d, non_emergency %d."
        % (c["total"], L["emergency"], L["animal"], L["non_emergency"]),
        "",
        "- category: " + fmt(c["category"]),
        "- kind: " + fmt(c["kind"]),
        "- variety tag components: " + fmt(c["variety_part"]),
        "- label mix targets: emergency 45 %, animal 5 %, non_emergency 50 % (lookalike 30 %, ordinary 20 %).",
        "",
        "Regenerate (deterministic, overwrites both files and re-validates JSON, label/category/kind sets,"
        " duplicates and counts): `python3 make_triage_train.py`",
    ]
    with open(README, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
