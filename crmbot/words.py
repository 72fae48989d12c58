"""Plain-language words several parts of crmbot read: one home for each list.

Number words ("top ten", "in four parts"), the intervals of an installment plan ("quarterly"),
companies' legal forms ("GmbH", "LLC") and the free-mail domains (a gmail.com address names a
person, not a company). The report engine, the invoice skill, company matching, lead features
and the demo generator all import them from here, so a word added here is known everywhere.
"""

from __future__ import annotations

NUMBER_WORDS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "fifty": 50,
    "ninety": 90,
    "hundred": 100,
}
# for regular expressions: longest first, so "twenty-four" is not read as "twenty"
NUMBER_WORD_PATTERN = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))


# "not", "never", "haven't", "didnt", "won't": a word that turns a statement into its opposite
NEGATION_PATTERN = r"(?:not|never|(?:did|have|has|had|are|is|were|was|does|do|wo)n'?t)"


def number_value(token: str) -> int:
    """ "12" -> 12, "twelve" -> 12."""
    token = token.lower()
    return int(token) if token.isdigit() else NUMBER_WORDS[token]


# An installment plan's interval as people write it -> its name and its length in months
INTERVALS: dict[str, str] = {
    "monthly": "monthly",
    "month": "monthly",
    "quarterly": "quarterly",
    "quarter": "quarterly",
    "semiannual": "semiannual",
    "semiannually": "semiannual",
    "half-yearly": "semiannual",
    "yearly": "yearly",
    "annual": "yearly",
    "annually": "yearly",
}
INTERVAL_MONTHS: dict[str, int] = {"monthly": 1, "quarterly": 3, "semiannual": 6, "yearly": 12}

# Companies' legal forms, as words (punctuation removed: "B.V." is "bv", "S.A." is "sa")
LEGAL_FORMS = frozenset(
    {
        "inc", "incorporated", "corp", "corporation", "co", "llc", "llp", "lp", "pllc", "ltd", "limited",
        "plc", "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "se", "sa", "sas", "sarl", "srl", "spa",
        "sprl", "bv", "nv", "oy", "oyj", "ab", "publ", "as", "asa", "aps", "pty", "pte", "pvt", "private",
        "kk", "sl", "sro", "zoo", "ltda", "eireli", "sdn", "bhd", "tbk", "kft", "zrt", "doo", "ooo",
        "sapi", "cv", "ltee",
    }
)  # fmt: skip
# Words a company's name often carries besides its legal form, which don't tell companies apart
GENERIC_COMPANY_WORDS = frozenset({"the", "company", "group", "holding", "holdings"})

# Addresses at these domains belong to people, not to the company they work for
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com",
        "hotmail.com", "hotmail.co.uk", "hotmail.fr", "live.com", "msn.com", "outlook.com",
        "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me",
        "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.ru", "yandex.ru", "yandex.com",
        "qq.com", "163.com", "126.com", "sina.com", "naver.com", "zoho.com", "mail.com",
        "tutanota.com", "fastmail.com", "hey.com", "rediffmail.com", "libero.it", "orange.fr",
    }
)  # fmt: skip

# a row's place in a list said as an ordinal ("the third one"), counted from 0
ORDINALS: dict[str, int] = {
    word: at
    for at, words in enumerate(
        (
            ("first", "1st"),
            ("second", "2nd"),
            ("third", "3rd"),
            ("fourth", "4th"),
            ("fifth", "5th"),
            ("sixth", "6th"),
            ("seventh", "7th"),
            ("eighth", "8th"),
            ("ninth", "9th"),
            ("tenth", "10th"),
        )
    )
    for word in words
}
