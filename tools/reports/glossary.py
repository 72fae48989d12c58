"""What the words mean: definitions answered in words from the semantic model, never by computing.

"what do you mean by revenue?", "define win rate", "how is sales cycle calculated", "what counts
as pipeline?", "diff between bookings and revenue?", "when do you consider an invoice overdue",
"how do you calculate that" (the thread's last measure). The text is each metric's
``description`` (and the model's glossary entries), so a team's overlay explains its own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tools.reports import semantic

_DEFINITION = re.compile(
    r"\bwhat\s+(?:exactly\s+|actually\s+|precisely\s+)?(?:do|does|did)\s+(?:you|u|ya|we|crmbot|it)\s+(?:exactly\s+)?mean\b|"
    # "what is CSAT based on in here?", "what buckets does the AR aging report use?"
    r"\bwhat(?:\s+is|\s+are|'s|s)\s+(?:the\s+)?[a-z][\w\s%-]{0,30}?\s+based\s+on\b|"
    r"\bwhat\s+(?:\w+\s+){0,3}(?:buckets|bands|tiers|categories|stages|rules|thresholds|cut-?offs|weights)\s+does\s+"
    r"(?:the\s+)?[\w\s]{1,30}?\s+use\b|(?<!\bi\s)(?<!\bI\s)\bmeant\s+by\b|\bmeaning\s+of\b|"
    # said by people writing in a second language: "what you mean with billings?", "DSO, what it means
    # exactly?", "what means 'revenue' for you? how you calculate it"
    r"\bwhat\s+(?:you|u)\s+mean\s+(?:with|by|for)\b|\bwhat\s+(?:it|this|that)\s+means\b|\bwhat\s+means\b|"
    r"\bhow\s+(?:you|u)\s+(?:calculate|compute|measure|define|count)\b|"
    # "how do u bucket AR aging", "bookings vs billings vs revenue - how are you defining each one?", "when does the
    # sales cycle clock start and stop?", "quick one - is win rate won over all deals, or ...", "avg deal size - is
    # that off won deals only or all of them?"
    r"\bhow\s+(?:do|does|did)\s+(?:you|u|we|it|crmbot)\s+(?:bucket|band|tier|segment|classify|categori[sz]e|group|split)\b|"
    r"\bdefining\b|\b(?:clock|timer)\s+(?:start|starts|stop|stops|begin|begins|end|ends)\b|\bstart\s+and\s+stop\b|"
    r"(?:^|[-—–:]\s*)(?:is|are)\s+(?!(?:there|we|you|i|they|it|that|this|any)\b)[\w\s$%'\"-]{1,40}?\s+(?:over|across|for|on|of|from)\s+"
    r"(?:all|every|any|only|just|closed|won|open)\b[^?]*\bor\b|"
    r"\b(?:is|does)\s+(?:that|it|this)\s+(?:[\w-]+\s+){0,4}(?:only|just)\b[^?]*\bor\b|"
    r"(?<!per\sthe\s)(?<!per\syour\s)(?<!per\sour\s)(?<!per\s)(?<!by\s)\bdefin(?:e|ed|es|ition|itions)\b|"  # not "as per the definition"
    r"\bhow\s+(?:exactly\s+)?(?:is|are|was|do\s+(?:you|u|we)|does\s+(?:crmbot|it|the\s+bot)|d'?you)\s+"
    r"(?:.{0,60}?\s)?(?:calculated|computed|calculate|compute|measured|measure|worked\s+out|work\s+(?:it|that|this|them)\s+out|"
    r"figured\s+out|figure\s+(?:it|that|this)\s+out|determined|determine|derived|derive|get\s+(?:to\s+)?(?:that|this|it))\b|"
    r"\bhow\s+(?:do|does|did)\s+(?:you|u|we|it)\s+(?:calculate|compute|work\s+out|figure\s+out|get|arrive\s+at|count)\b|"
    r"\bwhat\s+counts\s+as\b|\bwhat\s+(?:is|'s|are)\s+(?:considered|counted\s+as)\b|"
    r"\b(?:when|how)\s+(?:exactly\s+)?(?:do|does|is|are)\s+(?:you|u|we|crmbot|an?|the)?\s*(?:\w+\s+)?(?:consider|considered|count|counted|"
    r"call|called|treat|treated|classify|classified|deem|deemed|flag|flagged)\b|"
    r"\b(?:diff|difference|differences|different|diference|differense)\s+(?:between|btw|b/w)\b|"
    # "it is same like revenue or different thing?", "AR aging - which buckets you are using?"
    r"\b(?:is\s+it|it\s+is|is\s+that|are\s+they|is\s+this)\s+(?:the\s+)?same\s+(?:like|as|thing\s+as)\b|"
    r"\b(?:which|what)\s+(?:\w+\s+){0,3}(?:buckets|bands|tiers|categories|rules|thresholds|cut-?offs)\s+(?:do\s+)?"
    r"(?:you|u|we)\s+(?:are\s+)?(?:using|use)\b|"
    # "lead conversion rate - what's it divided by?", "what's the denominator"
    r"\bwhat(?:'?s|\s+is|\s+are)\s+(?:it|that|this|they)\s+divided\s+by\b|\bdivided\s+by\s+what\s*[?.!]*\s*$|\b(?:denominator|numerator)\b|"
    # "what's your rule for an invoice to count as overdue there?"
    r"\b(?:rule|rules|criteria|criterion|logic|cut-?off)\s+for\b[^?]{0,60}?\b(?:count|be\s+counted|be\s+considered|"
    r"qualify|be\s+flagged)\s+as\b|"
    r"\bexplain\b(?!\s+(?:the\s+|why\b)?(?:drop|dip|fall|spike|increase|decrease|change|jump|decline))|"
    r"\bwhat\s+(?:exactly|precisely|actually)\s+counts\s+as\b|"
    r"^\s*(?:is|are)\s+[\w\s$%-]{1,40}?\s+(?:by|based\s+on|measured\s+(?:by|in|on)|counted\s+(?:by|in|on))\s+"
    r"[\w\s$%#-]{1,40}\s+or\s+|"
    r"\b(?:is|does)\s+(?:that|it|this)\s+(?:\w+\s+){0,3}?(?:across|over|cover|covering|include|including|count|only|just|"
    r"counting|mean|based|off)\b[^?]*\bor\b|"
    r"\b(?:what|which)\s+(?:\w+\s+){0,3}(?:buckets|bands|tiers|categories|stages|rules|thresholds|cut-?offs)\s+do\s+"
    r"(?:you|u|we)\s+use\b|"
    r"\bwhere\s+(?:does|do|did)\s+(?:that|this|it|those|these|the)\s+(?:\w+\s+){0,2}come\s+from\b|"
    # "where does churn risk come from? is it something reps set?", "invoiced vs collected - what's the distinction?"
    r"^\W*where\s+(?:does|do)\s+(?:the\s+)?[a-z][\w\s%-]{1,30}?\s+come\s+from\b|\bis\s+it\s+something\s+(?:reps|we|you|people)\s+"
    r"(?:set|enter|pick|choose|fill\s+in)\b|\bwhat(?:'?s|\s+is)\s+the\s+distinction\b|"
    r"\bwhere\s+(?:do|did)\s+(?:you|u)\s+get\s+(?:that|this|it|those|these)\b|"
    r"\bwhen\s+(?:you|u|we)\s+say\b|\bwhen\s+(?:this|the)\s+(?:bot|tool|report|dashboard)\s+says\b|"
    r"\bhow\s+do\s+(?:you|u)\s+(?:guys\s+|all\s+)?(?:decide|determine|work\s+out)\s+(?:if|whether|when|what)\b|\bwhen\s+(?:do\s+)?(?:you|u|we)\s+(?:consider|call|treat|flag|count)\s+(?:an?|the)\s+[a-z]+\s+"
    r"(?:as\s+)?[a-z]+\b|\bwhat(?:'s|\s+is|\s+are)\s+included\s+in\b|=\s*what\b|"
    # "LTV = ? (for an account)", "lead conversion rate: converted out of which leads exactly?"
    r"^[\w\s%'-]{2,40}=\s*\?|\b(?:out\s+of|over|divided\s+by)\s+which\s+\w+(?:\s+exactly)?\s*\?|"
    r"\bwhat(?:'s|\s+is|\s+are)\s+(?:that|this|it|those|these|the)\s+(?:\w+\s+){0,2}based\s+on\b|"
    r"\bwhat\s+(?:are|do|did|were)\s+(?:you|u|we)\s+(?:counting|count|including|include|treating|treat)\s+as\b|"
    r"\bwhat\s+(?:does|do)\s+.{1,40}\s+mean\b|\bwhat\s+(?:is|'s)\s+the\s+formula\b|\bformula\s+for\b|"
    r"\bwhat\s+(?:exactly\s+)?(?:do|does)\s+(?:you|u|we|crmbot)\s+(?:count|consider|treat|call|include)\s+(?:as|in)\b|"
    r"\bwhat\s+(?:exactly\s+|actually\s+)?goes\s+into\b|\bmeasured\s+from\b|\bfrom\s+what\s+to\s+what\b|"
    r"\b(?:measured|counted|expressed|given|shown)\s+in\s+what\b|\bfrom\s+when\s+to\s+when\b|"
    r"\b(?:in\s+)?hours\s+or\s+(?:in\s+)?days\b|\bhow\s+.{1,40}\s+(?:is|are)\s+(?:calculated|computed|measured|defined|worked\s+out)\b|"
    # "what does last contacted actually look at", "how's the health score put together?", "lead conversion rate -
    # hows that worked out", "whats LTV exactly in here - lifetime revenue or contract value?", "when you tell me
    # what an account paid, is that what we invoiced or actual cash in?"
    r"\bwhat\s+(?:does|do)\s+(?:the\s+|your\s+|a\s+)?[a-z][\w\s%-]{1,30}?\s+(?:actually\s+|exactly\s+|really\s+)?look\s+at\b|"
    r"\bhow(?:'?s|\s+is|\s+are|\s+was)\s+(?:the\s+|that\s+|it\s+|this\s+|a\s+)?(?:[\w%-]+\s+){0,4}?(?:put\s+together|built\s+up|"
    r"made\s+up|composed|constructed|worked\s+out)\b|"
    r"\bwhat(?:'?s|\s+is|\s+are)\s+[a-z][\w\s%-]{1,30}?\s+exactly\b[^?]*\bor\b|"
    r"\bwhen\s+(?:you|u)\s+(?:tell|show|give)\s+me\b[^?]*\b(?:is|does)\s+(?:that|it)\b|"
    r"\bhow(?:'?s|\s+is|\s+are|'re)\s+.{1,40}?\b(?:worked\s+out|calculated|computed|measured|defined|determined|figured|"
    r"decided|assigned|set|scored|rated)\b|"
    # "how do you cut the aging buckets? like what lands in 1-30 vs current"
    r"\bhow\s+(?:do|does|did)\s+(?:you|u|we|it)\s+(?:cut|split|slice|band|bucket|draw)\s+(?:the\s+)?(?:[\w-]+\s+)?"
    r"(?:buckets|bands|tiers|groups|brackets|ranges|categories)\b|"
    # "for the overdue amount are you using the full invoice total or whats left after payments"
    r"\b(?:are|r)\s+(?:you|u)\s+(?:using|counting|taking|going\s+by|looking\s+at)\b[^?]*\bor\b|"
    r"\b(?:do|does)\s+(?:you|u|it)\s+(?:use|go\s+by|look\s+at)\s+(?:the\s+)?[^?]*\bor\b|"
    r"\bcalculat(?:ion|ions|ing)\b|\b(?:is|are)\s+(?:that|it|this|those)\s+based\s+on\b|\bbased\s+on\s+what\b|"
    r"\bwhat(?:'s|\s+is|\s+are)\s+(?:that|it|this|those|they)\s+based\s+on\b|"
    r"\bhow'?d\s+(?:you|u)\s+(?:get|calculate|compute|work|figure|come\s+up)\b|\bhow\s+did\s+(?:you|u)\s+"
    r"(?:get|calculate|compute|work\s+out|figure\s+out|come\s+up\s+with)\b|"
    r"\bwhen\s+(?:do|does|would)\s+(?:you|u|we|crmbot)\s+(?:say|call|consider|count|treat|flag|mark)\b|"
    r"\bwhat\s+are\s+the\s+(?:\w+\s+){0,3}(?:buckets|bands|tiers|levels|categories|stages|statuses)\b|"
    r"\bhow\s+(?:do|does|did|would)\s+(?:you|u|we)\s+(?:work|figure)\s+(?:\w+\s+){0,3}out\b|"
    r"\b(?:does|do|did|is|are)\s+(?:that|this|it|the|those|these)\s+(?:\w+\s+){0,2}(?:count|include|includes|"
    r"cover|contain)\b|\bwhat\s+(?:does|do)\s+(?:that|this|it|those|these)\s+(?:\w+\s+){0,2}(?:include|cover|"
    r"contain|count)\b|\bwhat'?s\s+(?:in|behind|included\s+in)\s+(?:that|this|those|the)\s+(?:\w+\s+)?"
    r"(?:figure|number|total|amount|metric)\b|\bwhat\s+goes\s+in\b|\bwhich\s+(?:ones|deals|invoices|leads|"
    r"tickets|customers|accounts)\s+(?:go|goes|count|are\s+counted)\s+in(?:to)?\b|"
    # "is X in those numbers?", not "... whether it shows up in the numbers"
    r"\b(?:is|are|was|were|does|do|included|counted)\b[^?]{0,40}\bin\s+(?:those|these|that|the)\s+"
    r"(?:\w+\s+)?(?:numbers|figures|totals)\b(?<!shows\sup\sin\sthe\snumbers)|\b(?:is|are)\s+(?:\w+\s+){1,3}(?:included|counted)\b|"
    # "what makes an invoice overdue exactly? like 1 day late?": what the word takes
    r"\bwhat\s+makes\s+(?:an?\s+|the\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:overdue|late|past\s+due|churned|a\s+customer|"
    r"qualified|at\s+risk|high\s+risk|stale|inactive|won|lost)\b|"
    # "when you bucket AR, what exactly lands in 90+?": what a bucket holds
    r"\bwhen\s+(?:you|u|we)\s+(?:bucket|group|classify|count|calculate|compute|work\s+out|age)\b[^?]{0,40}\bwhat\b|"
    r"\bwhat\s+(?:exactly\s+)?(?:lands|goes|falls|ends\s+up|sits|counts)\s+(?:in|into|as)\s+(?:the\s+)?[\w+-]+"
    r"(?:\s+bucket)?\s*\?|"
    # "lead conv rate - converted over what exactly?", "when I ask for pipeline, which date are you filtering on?"
    r"\b(?:over|out\s+of|divided\s+by)\s+what(?:\s+exactly)?\s*(?:\?|$)|/\s*what(?:\s+exactly)?\s*(?:\?|$)|"
    # "avg deal size - won deals only or everything?": what the measure counts, asked as a choice
    r"^\W*[a-z][\w\s%-]{1,30}?\s*[-–—:]\s*[\w\s-]{1,30}?\s+(?:only\s+)?or\s+(?:everything|every\s*thing|all\s+of\s+them|"
    r"all\s+[\w\s-]{1,20}?|any|the\s+whole\s+lot)\s*\??\s*$|"
    r"\b(?:which|what)\s+date\s+(?:field\s+|column\s+)?(?:are|do|does|is)\s+(?:you|u|it|that|this|crmbot)\s+"
    r"(?:filter|filtering|using|use|based|going\s+by|go\s+by|look|looking|cohort|cohorting|bucket|group)\b|"
    # "lead conversion rate: converted / all leads, or converted / leads that got closed out?": which denominator
    r"\b[a-z]+\s*/\s*(?:all\s+)?[a-z]+(?:\s+[a-z]+)?\s*,?\s+or\s+[a-z]+\s*/\s*[a-z]+|"
    r"\bremind\s+me\s+(?:how|what)\b|\b(?:is|are)\s+.{1,40}\s+the\s+same(?:\s+thing)?\s+as\b|"
    # "avg deal size - all deals or just the won ones?": what the measure counts, asked as a choice
    r"^\W*[a-z][\w\s%-]{1,30}?\s*[-–—:]\s*(?:all|every|any)\s+[\w\s-]{1,30}?\s+or\s+(?:just|only)\s+(?:the\s+)?[\w\s-]{1,30}?\s*\?\s*$|"
    # "are bookings and revenue the same thing?"
    r"^\W*(?:so\s+|ok\s+|wait\s+)?(?:is|are)\s+[a-z][\w\s%-]{1,30}?\s+(?:and|&)\s+[a-z][\w\s%-]{1,30}?\s+(?:the\s+same|"
    r"different|two\s+different\s+things|interchangeable)\b|"
    r"\bsame\s+thing\s+as\b|\b(?:that|it|this)\s+(?:is\s+)?based\s+on\b|\bwhich\s+\w+\s+(?:count|are\s+counted)\b|"
    r"\bwhat\s+(?:does|do)\s+.{1,40}\s+(?:actually\s+|really\s+)?(?:measure|represent|track|capture|check|cover|test|"
    r"look\s+at|go\s+by|use)\b|"
    r"\bwhat(?:'?s|\s+is)\s+.{1,30}?\s+mean\b|\bin\s+this\s+(?:tool|bot|app|system|thing)\b|"
    r"\bformula\b|\bwhat\s+(?:exactly\s+|actually\s+)?makes\s+(?:an?\s+|the\s+)?[a-z]+\s+['\"‘“]|"
    r"\bwhat(?:'s|\s+is)\s+(?:that|this|it)\s+exactly\b|\bwhat\s+exactly\s+is\s+(?:that|this|it)\b|\bwhat\s+(?:exactly\s+|actually\s+)?makes\s+(?:an?\s+|the\s+)?[a-z]+(?:\s+[a-z]+)?\s+(?:count|counted|be\s+counted|be\s+considered|considered)\b|"
    r"['\"‘“][a-z][^'\"’”]{0,30}['\"’”]\s+(?:include|includes|count|counts|cover|covers|mean|means|contain|contains)\b|"
    r"\bwhat(?:\s+(?:exactly|precisely|actually))?(?:'s|\s+is|\s+are)\s+(?:exactly\s+)?['\"‘“][a-z0-9%][^'\"’”]{0,40}['\"’”]|"
    r"\bhow\s+(?:do|does)\s+(?:you|u|we|crmbot)(?:\s+guys|\s+all)?\s+(?:work\s+out|calculate|compute|figure\s+out|"
    r"define|measure|score|come\s+up\s+with|figure)\b|\b(?:is|are)\s+[a-z0-9% ]{2,30}\s+(?:just|simply|basically)\s+|"
    # "how do the AR aging buckets work", "is avg deal size over all deals or only the won ones?", "when i ask
    # about 'my deals', whose deals are those", "is 'revenue' cash basis or accrual?"
    r"\bhow\s+(?:do|does)\s+(?:the\s+|our\s+|your\s+|these\s+|those\s+)?[a-z][\w\s'-]{0,40}?\s+work"
    r"(?:\s+(?:exactly|again|here|in\s+here|precisely))?\s*[?.!]*\s*$|"
    # "pipeline means what exactly, which stages go into it"
    r"\b[a-z][\w\s-]{0,30}?\s+means\s+what\b|\bwhich\s+(?:stages|statuses|invoices|deals|leads|tickets)\s+go\s+into\b|"
    # "walk me through how that number's worked out"
    r"\bwalk\s+(?:me|us)\s+through\s+(?:how|what)\b|\bhow\s+(?:that|this|the)\s+(?:number|figure|metric|total)(?:'s|\s+is|\s+was)\s+"
    r"(?:worked\s+out|calculated|computed|arrived\s+at|put\s+together)\b|"
    r"^\s*(?:is|are)\s+(?!(?:there|we|you|i|they|it|that|this|any)\b)[\w\s$%'\"-]{1,40}?\s+(?:over|across|for|on|of|from)\s+"
    r"(?:all|every|any|only|just)\b[^?]*\bor\b|"
    r"\bwhen\s+(?:i|we)\s+(?:ask|say|type|write|mention)\s+(?:about\s+|for\s+)?['\"‘“]|\bcash\s+basis\b|\baccrual\b|"
    r"\b(?:numerator|denominator)\b|\bgrace\s+period\b|"
    # "for lead conversion rate - do you go by when the lead was created or when it converted?"
    r"\b(?:do|does)\s+(?:you|u|it|that|this|crmbot)\s+go\s+(?:by|off|on)\b[^?]*\bor\b|"
    # "what values can churn risk have", "what are the possible values of lead status"
    r"\bwhat\s+(?:values?|options|levels|statuses|stages)\s+(?:can|could|does|do|may)\s+[a-z][\w\s-]{1,30}?\s+(?:have|take|be)\b|"
    r"\b(?:possible|allowed|valid)\s+(?:values|options|levels|statuses|stages)\b|"
    # "aging buckets - how are they cut?", "what exactly does 'resolution time' measure", "who counts as a
    # 'customer'", "billings vs revenue - which is which again?", "lifetime value of what", "so the board stops
    # mixing them up"
    r"\bhow\s+(?:are|is)\s+(?:they|those|these|it|the\s+\w+(?:\s+\w+)?)\s+(?:cut|split|grouped|bucketed|banded|"
    r"sliced|broken\s+(?:up|down|out))\b|"
    # "how is AR aging bucketed", "what does pipeline include? like do closed deals count"
    r"\bhow\s+(?:are|is)\s+(?:[\w-]+\s+){1,3}(?:bucketed|banded|tiered)\b|"
    r"\bwhat\s+(?:does|do)\s+(?:the\s+|your\s+|our\s+)?[a-z][\w\s%-]{0,30}?\s+(?:include|cover|contain)\s*\?|"
    r"\b(?:do|does)\s+(?:closed|open|lost|won|draft|paid|unpaid|churned|pending|partially\s+paid|partial)\s+[a-z]+\s+"
    r"(?:count|get\s+counted|go\s+in)\b|"
    r"\bwhat\s+(?:exactly|actually|precisely)\s+(?:does|do)\s+.{1,40}\s+(?:mean|measure|represent|track|capture|"
    r"include|cover|count)\b|"
    r"\bwho\s+(?:counts|count|is\s+counted|are\s+counted|is\s+considered|are\s+considered)\s+as\b|"
    r"\bwhich\s+is\s+which\b|\bof\s+what(?:\s+exactly|\s+precisely)?\s*[?.!]*\s*$|"
    r"\b(?:mix|mixes|mixing|mixed)\s+(?:\w+\s+){0,2}up\b|\btell\s+(?:\w+\s+){0,2}apart\b|"
    r"\bone\s+line\s+(?:on|for|about)\s+each\b|"
    # "When you report 'outstanding', which invoices are included?", "is 'revenue' the invoiced amount or the cash ..."
    r"\bwhen\s+(?:you|u)\s+(?:report|show|use|give)\b|"
    r"\bhow\s+(?:do|does)\s+(?:you|u|we|it|crmbot)\s+(?:decide|determine|judge|tell|know)\b|\bwhich\s+\w+\s+(?:are|is|get|gets)\s+(?:included|counted)\b|"
    r"^\s*(?:is|are)\s+['\"‘“][^'\"’”]{1,30}['\"’”]\s+(?:the\s+|just\s+|only\s+)?[\w\s]{1,40}\bor\b|"
    # "does your 'invoiced' figure include draft invoices", "what precisely is included in 'outstanding'?",
    # "are partially paid invoices netted?", "where do the cutoffs fall"
    r"\b(?:does|do)\s+(?:your|the|our|that|this)\s+['\"‘“]?[a-z][\w\s'-]{0,30}?['\"’”]?\s+(?:figure|number|total|"
    r"amount|metric|measure|kpi)\s+(?:include|count|cover|exclude)\b|"
    r"\bwhat\s+(?:exactly\s+|precisely\s+|actually\s+)?(?:is|are|gets?|goes)\s+(?:included|counted)\s+in\b|"
    r"\b(?:is|are)\s+[\w\s-]{2,40}?\s+netted\b|"
    r"\bwhere\s+(?:do|does)\s+(?:the\s+)?(?:cut-?offs?|lines|boundaries|thresholds|breaks)\s+(?:fall|sit|lie|go)\b|"
    r"\bwhat\s+are\s+the\s+(?:cut-?offs|boundaries)\b|"
    # "which invoice statuses are included?", "what mean DSO?", "the deals still open, they count in it?",
    # "whats LTV based on here - bookings or actual cash?", "quick definitional check on 'invoiced'"
    r"\bwhich\s+\w+\s+\w+\s+(?:are|is|get|gets)\s+(?:included|counted)\b|"
    r"^\W*what\s+(?:mean|means|meaning)\b|\bwhat\s+is\s+(?:the\s+)?meaning\s+of\b|"
    r"\b(?:count|counted|included)\s+in\s+(?:it|that|this|them)\s*\?|"
    r"\bbased\s+on\b[^?]{0,40}\bor\b|\bdefinitional\b|\bdefinition\s+check\b|"
    # "what does 'last contacted' actually look at", "at what point does an invoice count as overdue", "what is LTV in
    # your reports", "whats in 'pipeline' exactly?", "ar aging buckets - what are they", "invoiced vs collected - how
    # does each one get counted"
    r"\bwhat\s+(?:does|do)\s+['\"‘“][^'\"’”]{1,30}['\"’”]\s+(?:actually\s+|exactly\s+|really\s+)?look\s+at\b|"
    r"\bat\s+what\s+point\s+(?:does|do|is|are|would)\b|"
    # "the finance ppl keep talking about 'AR aging' - what is that?"
    r"['\"‘“][^'\"’”]{1,30}['\"’”]\s*[-—–:,]?\s*(?:so\s+)?what(?:'s|\s+is|\s+are|\s+r)\s+(?:that|this|it|they|those)\s*(?:exactly\s*)?[?.!]*\s*$|"
    # "how are the AR aging buckets split up?", "wdym by 'last touch'"
    # "the LTV figure on customer insights - is that booked deals or cash actually collected?", "does that net off the
    # partial payments we've already received?"
    r"\s[-—–:]\s+(?:is|are)\s+(?:that|it|this|those)\s+[^?]{2,40}\bor\b[^?]{2,40}\?\s*$|"
    r"^\W*(?:and\s+|so\s+)?(?:does|do|did|is)\s+(?:that|it|this)\s+(?:net\s+(?:off|out)|take\s+into\s+account|account\s+for|"
    r"subtract|deduct|exclude|include)\b|"
    # "resolution time - it is counting from when until when?", "ok and how exactly you calculate this number?"
    r"\bfrom\s+when\s+(?:until|till|to)\s+when\b|\bin\s+what\s+units?\b|"
    r"\bhow\s+(?:exactly\s+)?(?:do\s+|did\s+)?(?:you|u)\s+(?:exactly\s+)?(?:calculate|compute|work\s+out|measure|count)\b|"
    # "for ticket counts by month, which date do you bucket them on? created or closed?"
    r"\bwhich\s+date\s+(?:do|does|did)\s+(?:you|u|it|they)\s+(?:bucket|group|count|use|place|put|go\s+by)\b|"
    # "by 'revenue' do you mean closed-won or actual cash?"
    r"\bby\s+['\"‘“]?[\w\s-]{2,30}?['\"’”]?,?\s+(?:do|did)\s+(?:you|u)\s+mean\b|"
    r"\bhow\s+(?:are|is)\s+(?:the\s+)?[\w\s]{0,20}?(?:buckets|bands|tiers|brackets)\s+(?:split|set|broken|divided|defined|"
    r"decided|cut)\b|\bwdym\b|"
    r"\bkeep(?:s)?\s+(?:talking|saying|mentioning|going\s+on)\s+about\b[^?]{0,60}\bwhat(?:'s|\s+is|\s+are)\s+(?:that|this|it|they)\b|"
    # "when u flag an account as 'not contacted in 30 days', what are you looking at?"
    r"\b(?:flag|mark|call|count|label|tag)\s+(?:an?\s+|the\s+)?[a-z]+\s+as\s+['\"‘“][^'\"’”]{1,40}['\"’”][^?]{0,10}"
    r"\bwhat\s+(?:are|r|do|does)\s+(?:you|u)\s+(?:looking\s+at|look\s+at|counting|using|checking|go\s+by)\b|"
    r"\b(?:talking|speaking)\s+about\s+the\s+same\s+thing\b|\bmean\s+the\s+same\s+thing\b|"
    r"^\W*what(?:'?s|\s+is|\s+are)\s+[a-z][\w-]{1,20}(?:\s+[a-z][\w-]{1,20})?\s+in\s+your\s+(?:reports?|numbers|world|system|"
    r"tool|book)\s*[?.!]*\s*$|"
    r"\bwhat'?s\s+in\s+['\"‘“][^'\"’”]{1,30}['\"’”]|"
    r"\b(?:buckets|bands|tiers|categories)\s*[-—–:,]?\s*what\s+are\s+(?:they|those|these|them)\b|"
    r"\bhow\s+(?:does|do|is|are)\s+(?:each|both|either)(?:\s+one)?\s+(?:get\s+)?(?:counted|calculated|measured|defined|"
    r"computed|worked\s+out)\b|"
    # "when you count tickets for a month is that by when they were opened or ...", "how are you measuring that?"
    r"\bwhen\s+(?:you|u)\s+(?:count|measure|calculate|compute|total|sum)\b|"
    r"\bhow\s+(?:are|r)\s+(?:you|u)\s+(?:measuring|counting|calculating|computing|working\s+out|getting)\b|"
    r"\b(?:open|closed|pending|draft|unpaid|lost|churned)\s+(?:\w+\s+)?included\s*\?|"
    # "the LTV number on accounts - is that a forecast or actual money we've received?"
    r"\b(?:is|are)\s+(?:that|it|this|those|these)\s+(?:an?\s+|the\s+)?(?:forecast|prediction|estimate|projection|guess|"
    r"actual|real|calculated|measured)\b[^?]{0,60}\bor\b|"
    # "does avg deal size include lost deals or just won ones"
    r"^\s*(?:does|do|is|are)\s+(?!(?:there|we|you|i|they|it|that|this|any)\b)[\w\s$%'-]{2,40}?\s+(?:include|includes|"
    r"count|counts|cover|covers|exclude|excludes)\b[^?]*\bor\b|"
    # "for pipe do you count closed deals too or only open ones?", "do you take the full invoice total or net of
    # partial payments?", "lead conversion rate = converted out of what exactly"
    r"\b(?:do|does)\s+(?:you|u|we|it|crmbot)\s+(?:count|take|use|include|exclude|net|subtract|deduct|consider|"
    r"treat)\b[^?]*\bor\b|\bout\s+of\s+what\b|"
    # "resolution time = ? what are u measuring", "what exactly are you counting as past due there"
    r"\bwhat\s+(?:exactly\s+|actually\s+|precisely\s+)?(?:are|r|were)\s+(?:you|u|we)\s+(?:exactly\s+|actually\s+)?"
    r"(?:measuring|counting|including|calculating|computing|tracking|treating)\b|"
    # "bookings vs revenue - which one's the cash number?", "what exactly is CSAT in here"
    r"\bwhich\s+(?:one|of\s+(?:them|the\s+two|those))(?:'s|\s+is)\s+(?:the\s+)?[a-z]+\s+(?:number|figure|metric|one)\b|"
    r"\bwhat\s+(?:exactly|precisely|actually)\s+(?:is|are)\s+[a-z][\w\s%'-]{0,30}?\s+(?:in\s+here|here)\b|"
    # "under what conditions do you treat an invoice as overdue?", "when does crmbot consider a deal stale"
    r"\b(?:do|does)\s+(?:you|u|we|crmbot|it)\s+(?:treat|consider|count|classify|call|mark|flag)\s+(?:an?\s+|the\s+)?"
    r"[a-z][\w\s-]{0,30}?\s+as\b|"
    # "whats the aging buckets u use", "when the sales team says 'bookings', what does that correspond to?", "when the
    # bot says an account hasn't been contacted in 30 days, contacted how? what counts"
    r"\bwhat(?:'s|s|\s+is|\s+are)\s+(?:the\s+)?(?:\w+\s+){0,3}(?:buckets|bands|tiers|categories|rules|thresholds|"
    r"cut-?offs|weights|definitions?)\s+(?:you|u|we|crmbot)\s+(?:use|apply|go\s+by)\b|"
    r"\bwhen\s+(?:the\s+)?[a-z][\w\s]{0,30}?\s+says?\s+['\"‘“]|\bcorrespond(?:s|ing)?\s+to\s*[?.!]*\s*$|"
    r"\bwhen\s+(?:the\s+bot|crmbot|the\s+tool|it|you|u)\s+says\b|[,?]\s*what\s+counts\s*[?.!]*\s*$|"
    # "what does 'overdue amount' actually include, the whole invoice?", "avg deal size - is that all deals or only the
    # won ones", "is that money actually received or what we billed?"
    r"['\"‘“][a-z][^'\"’”]{0,30}['\"’”]\s+(?:actually|exactly|really)\s+(?:include|includes|count|counts|cover|covers|mean|"
    r"means)\b|\b(?:is|are)\s+(?:that|it|this|those)\s+(?:all|every|only|just|any)\b[^?]*\bor\b|"
    r"^\W*(?:so\s+)?(?:is|are)\s+(?:that|this|it|those)\s+(?:the\s+)?(?:money|cash|amount|figure|number|total)?\s*"
    r"(?:actually\s+|really\s+)?(?:received|collected|paid|billed|invoiced|booked|signed|won|in\s+the\s+bank)\b[^?]*\bor\b"
)
_POINTS_BACK = re.compile(
    r"\b(?:that|this|those|these|it)\s+(?:\w+\s+)?(?:average|number|figure|total|rate|amount|metric|ratio|"
    r"numbers|figures|totals|score|count|percentage)\b|\b(?:that|it|this)\b\s*(?:exactly|again)?\s*[?.!]*$|"
    r"\b(?:calculate|calc|work\s+out|compute)\s+(?:that|it|this)\b|\b(?:that|it|this)(?:'s|\s+is)?\s+based\s+on\b|"
    # "is that by deal count or by dollar value? how's it calculated", "how exactly is that counted?"
    r"\bhow(?:'s|\s+is|\s+was|\s+are)\s+(?:exactly\s+)?(?:that|it|this|those|they)\s+(?:exactly\s+)?(?:calculated|calc'?d|"
    r"computed|worked\s+out|measured|counted|defined|figured)\b|\bhow\s+exactly\s+(?:is|was|are|do\s+you\s+count)\s+(?:that|it|this)\b|"
    # "how'd you get to that? what billing window is it over"
    r"\bhow(?:'d|\s+did|\s+do)\s+(?:you|u|we)\s+(?:get|arrive|come\s+up\s+with|land)\s+(?:to\s+|at\s+|on\s+|with\s+)?"
    r"(?:that|this|it)\b|\b(?:is|was)\s+(?:it|that|this)\s+(?:over|using|measured\s+over|computed\s+over)\b"
)
_GROUPS = re.compile(r"\b(?:buckets?|bands?|tiers?|groups?|categor(?:y|ies)|segments?|brackets?|ranges?)\b")


@dataclass
class Explanation:
    """A definition in words (the envelope's kind "explanation")."""

    question: str
    answer: str
    terms: list[str] = field(default_factory=list)  # the metric / glossary names explained
    refused: bool = False
    choices: list[str] = field(default_factory=list)


# "what's AR aging?", "what is DSO": the whole question is one term, with no "our", no period, no
# grouping: English asks what the word means (a figure is asked "what's our DSO", "DSO this quarter")
_BARE_WHAT_IS = re.compile(
    r"^\s*what(?:'s|s|\s+is|\s+are)\s+(?:an?\s+)?(?P<term>[a-z0-9%][a-z0-9% ]{1,40}?)"
    r"(?:\s+(?:please|pls|plz|again|exactly|here|in\s+here))?\s*[?.!]*\s*$"
)


def _after_a_context(lowered: str) -> str | None:
    """The question after a long message's context ("X is quoting a number at me - is LTV ...?"), if it has one."""
    from tools.reports.nlq.reader_context import context_split

    return context_split(lowered)


_JUST_ME = re.compile(
    r"\s*\bor\s+(?:is|am)\s+(?:it|that|this|i)\s+(?:just\s+)?(?:me|a\s+feeling|my\s+imagination|imagining\s+it|noise|"
    r"in\s+my\s+head|a\s+fluke|just\s+(?:me|a\s+feeling|noise))\b"
)


def is_definition_question(text: str) -> bool:
    """Whether the message asks what a word means (or how a figure is worked out), not for the figure."""
    if _asks_a_definition(text):
        return True
    # "what is LTV exactly in the crm?": the tool named, no part of the term
    without_tool = _IN_THE_TOOL.sub("", text.lower())
    return without_tool != text.lower() and _asks_a_definition(without_tool)


_IN_THE_TOOL = re.compile(
    r"\s+(?:in|inside|within)\s+(?:the|this|our)\s+(?:crm|system|tool|bot|app|dashboard)\b"
)


def _asks_a_definition(text: str) -> bool:
    from tools.reports.lexicon import expand_abbreviations

    lowered = expand_abbreviations(text.lower().replace("’", "'"))
    # "are our deals getting smaller or is it just me? avg deal size this year vs last year": a doubt, not a definition
    lowered = _JUST_ME.sub(" ", lowered)
    # "hows my revenue this month vs last month... sorry, bookings i mean, closed won. always mix those up": the
    # question corrected, and why it needed it; no definition asked
    lowered = _MIXED_UP_AFTER_A_CORRECTION.sub(r"\1", lowered)
    asked, mark, rest = lowered.partition("?")
    if mark and rest.strip() and asked.strip() and is_definition_question(asked + "?"):
        return True  # "what's DSO? finance keeps mentioning it": the question before the remark
    after = _after_a_context(lowered)
    if after and is_definition_question(after):
        return True  # "customer success is quoting an LTV number at me - is LTV predicted or actual money collected?"
    if re.match(r"\s*(?:and\s+)?how\s+(?:many|much)\b", lowered) and not re.search(r"\bmean\b", lowered):
        return False  # "how many deals was that based on": a count
    if _DEFINITION.search(lowered):
        return True
    if re.search(r"\bwhat(?:'?s|\s+is)\s+the\s+diff(?:erence)?\b", lowered) and not re.search(
        r"\bthan\b|\b(?:vs\.?|versus|compared\s+(?:to|with))\s+(?:last\s+|this\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
        r"q[1-4]|h[12]|(?:19|20)\d\d|year|quarter|month|week)",
        lowered,
    ):
        return True  # "bookings vs billings - whats the difference"; "more in feb than in jan? whats the
        # difference" asks for the change
    if re.search(
        r"\bhow\s+(?:are|is|do)\s+(?:they|those|these|the\s+two|them|both)\s+(?:different|differ)\b|"
        r"\bhow\s+(?:are|do)\s+(?:they|the\s+two)\s+(?:not\s+the\s+same|related)\b",
        lowered,
    ) and re.search(r"\bvs\.?\b|\bversus\b|\band\b", lowered):
        return True  # "outstanding vs overdue amount - how are they different?": both defined
    term_first = _TERM_THEN_WHAT_IT_MEASURES.match(lowered)
    if term_first and any(" ".join(term_first.group("words").split()[:n]) in _phrases() for n in (3, 2, 1)):
        return True  # "LTV in the health report - what is that actually measuring?"
    if _this_or_that(lowered):
        return True
    bare = _BARE_WHAT_IS.match(lowered)
    if bare is None:
        return False
    term = bare.group("term").strip()
    phrases = _phrases()
    return term in phrases or (term.endswith("s") and term[:-1] in phrases)


_MIXED_UP_AFTER_A_CORRECTION = re.compile(
    r"(\b(?:sorry|actually|i\s+mean|i\s+meant|scratch\s+that|wait\s+no|my\s+bad)\b[^?]*?)[.,;!]\s*"
    r"(?:i\s+)?(?:always|keep|tend\s+to|often)?\s*(?:mix|mixing|mixed|confuse|confusing)\s+(?:\w+\s+){0,2}(?:up)?\s*[.!]*\s*$"
)
_TERM_THEN_WHAT_IT_MEASURES = re.compile(
    r"^\W*(?P<words>[a-z][\w\s'-]{0,50}?)\s*[-—–:,]\s*what\s+(?:is|does|do)\s+(?:that|it|this|they|those)\s+"
    r"(?:actually\s+|really\s+|even\s+|exactly\s+)?(?:measur\w*|mean\w*|track\w*|count\w*|represent\w*|cover\w*)\b"
)
_IS_IT_X_OR_Y = re.compile(
    r"^\W*(?:(?:so|ok|quick\s+one)\W+)?(?:is|are)\s+(?:the\s+|our\s+)?(?P<words>[a-z][\w\s'/-]{0,60}?)\s+or\s+[^?]{2,60}\??\s*$"
)
# "is that what they've actually paid us or some kind of forecast?" (after a figure): which of two things it is
_IS_THAT_X_OR_Y = re.compile(
    r"^\W*(?:(?:so|ok|okay|and|wait|hmm)\W+)*(?:is|are)\s+(?:that|it|this|those|these)\s+[^?]{2,80}?\s+or\s+[^?]{2,60}\??\s*$"
)
# "does win rate include deals that are still open?": what a measure the model knows counts
_DOES_IT_INCLUDE = re.compile(
    r"^\W*(?:(?:so|ok|and|quick\s+q(?:uestion)?|quick\s+one)\W+)*(?:does|do)\s+(?:the\s+|our\s+|your\s+)?"
    r"['\"‘“]?(?P<words>[a-z][\w\s'-]{0,40}?)['\"’”]?\s+(?:include|includes|count|counts|cover|covers|exclude|excludes|consider|"
    r"take\s+(?:[\w\s-]{1,30}?\s+)?into\s+account)\b"
)


# "bookings - is that signed deals or what we invoiced?": the term first, then which of two things it is
# "bookings = signed deals or what we've invoiced? getting conflicting answers": the same, said with "="
_TERM_THEN_IS_IT = re.compile(
    r"^\W*(?P<words>[a-z][\w\s'-]{0,40}?)(?:\s*(?:[-—–:,]|\?)\s*(?:is|are)\s+(?:that|it|this|those|they)\s+|\s*=\s*)"
    r"[^?]{2,60}?\s+or\s+[^?]{2,60}\?(?:\s+[^?]{0,80})?\s*$"
)

_WHAT_IT_IS = (
    r"\b(?:forecast|forecasted|projection|projected|prediction|predicted|estimate|estimated|actual|money|value|cash|total|gross|net|signed|received|collected|paid|invoiced|billed|full|partial|part|contract|"
    r"date|count|amount|sum|payments?|deals?|invoices?|hours|days|business|clock|calendar|working)\b"
)
_FIGURE_ASKED = (
    r"\b(?:up|down|better|worse|higher|lower|bigger|smaller|more|less|fewer|growing|shrinking|improving|"
    r"this|last|next|month|quarter|year|week|today|q[1-4]|20\d\d|ytd|qtd|mtd)\b"
)


def _this_or_that(lowered: str) -> bool:
    """ "Are bookings signed contract value or cash received?", "is the overdue amt the full invoice total or net of
    part payments?": a measure the model knows, asked which of two things it is."""
    if (
        _IS_THAT_X_OR_Y.match(lowered)
        and not re.search(_FIGURE_ASKED, lowered)
        and re.search(_WHAT_IT_IS, lowered)
    ):
        return True
    # ("quick sanity check: 'bookings' = signed deals or cash received?": a preface, then the question)
    lowered = re.sub(
        r"^\W*(?:(?:quick|sanity|dumb|random|stupid|small)\s+)*(?:q|qn|question|check|one)\s*[:\-–—,]\s*",
        "",
        lowered,
    )
    # ("is 'revenue' in your answers cash received or what we invoiced?": the word in quotes is the term)
    lowered = re.sub(r"(?:^|(?<=\s))['\"‘“]([a-z][\w\s-]{0,30}?)['\"’”](?=[\s?,.=]|$)", r"\1", lowered)
    said = _IS_IT_X_OR_Y.match(lowered) or _TERM_THEN_IS_IT.match(lowered) or _DOES_IT_INCLUDE.match(lowered)
    if said is not None and said.re is _DOES_IT_INCLUDE:
        words = said.group("words").split()
        if words[0] in ("my", "his", "her", "their", "its"):
            return False  # "do my accounts include Acme?": whose records, not what a word means
        return any(" ".join(words[:n]) in _phrases() for n in (3, 2, 1))
    if said is None or re.search(r"\b(?:there|any|we|you|i|they|it|that|this)\b", said.group("words")[:12]):
        return False
    if re.search(_FIGURE_ASKED, lowered) or not re.search(_WHAT_IT_IS, lowered):
        return False  # "is revenue up or down this month?", "is win rate better in EMEA or NA?": a figure
    words = said.group("words").split()
    phrases = _phrases()
    return any(
        " ".join(words[:n]) in phrases or " ".join(words[:n]).rstrip("s") in phrases for n in (3, 2, 1)
    )


def _phrases() -> dict[str, tuple[str, str]]:
    """Every way the model names a metric, a glossary word or a described dimension."""
    model = semantic.model()
    phrases: dict[str, tuple[str, str]] = {}
    for entry in model.glossary:
        for phrase in (entry.name.replace("_", " "), *entry.synonyms):
            phrases.setdefault(phrase.lower(), ("glossary", entry.name))
    for metric in model.metrics:
        for phrase in (metric.name.replace("_", " "), metric.label.lower(), *metric.synonyms):
            phrases.setdefault(phrase, ("metric", metric.name))
    for dim in model.dimensions:
        if dim.description:
            for phrase in (dim.label.lower(), *dim.synonyms):
                phrases.setdefault(phrase, ("dimension", dim.name))
    return phrases


def explain(
    text: str,
    previous_metric: str | None = None,
    health_weights: str | None = None,
    previous_dimensions: list[str] | None = None,
) -> Explanation | None:
    """The definition(s) a question asks for; None when it names nothing the model knows.

    "what does that number include?" points back at the thread's last measure, and "how are the
    buckets defined" at the way the last answer was split (its dimensions' descriptions)."""
    from tools.reports.lexicon import expand_abbreviations

    lowered = expand_abbreviations(text.lower().replace("’", "'"))
    terms = find_terms(lowered)
    # (a quote opens after no letter: "I'm new here. When people say 'bookings'" quotes bookings, not "m new here")
    quoted = [
        find_terms(q)
        for q in re.findall(r"(?<![a-z0-9])['\"‘“]([a-z0-9][^'\"’”]{0,40}?)['\"’”](?![a-z])", lowered)
    ]
    if any(quoted):  # "what makes an invoice 'overdue'": the word in quotes is the one asked about
        named = [t for found in quoted for t in found]
        # ("is 'invoiced' the same number as revenue": both, the quoted one first)
        compared = re.search(r"\bsame\b|\bdiffer|\bvs\.?(?!\w)|\bversus\b|\bcompared?\b", lowered)
        terms = named + ([t for t in terms if t not in named] if compared else [])
    # ("measured from when to when?" after the sales cycle: a definition that names nothing is about the last figure)
    points_back = _POINTS_BACK.search(lowered) or not terms
    if previous_metric and ("metric", previous_metric) not in terms and points_back:
        terms = [("metric", previous_metric), *terms]
    if not terms and previous_dimensions and _GROUPS.search(lowered):
        model = semantic.model()
        terms = [
            ("dimension", name)
            for name in previous_dimensions
            if name in model.dimensions_by_name and model.dimensions_by_name[name].description
        ]
    if not terms:
        return None
    model = semantic.model()
    parts, names = [], []
    for kind, name in terms:
        if kind == "metric":
            metric = model.metric(name)
            description = metric.description or f"{metric.label}."
            if name == "health" and health_weights:
                description = health_weights
            parts.append(description)
        elif kind == "glossary":
            entry = next(g for g in model.glossary if g.name == name)
            parts.append(entry.description)
        else:
            dim = model.dimensions_by_name[name]
            parts.append(dim.description or f"{dim.label.capitalize()}: a way to split answers.")
        names.append(name)
    said = "\n".join(dict.fromkeys(parts))
    days = re.search(r"\b(\d{1,4})\s*(?:days?|d)\b", lowered)
    if days:  # "what does 'not contacted in 30 days' mean": the definition with their number
        n = int(days.group(1))
        said = re.sub(r"\bN\b", str(n), said.replace("N-1", str(max(n - 1, 0))))
    return Explanation(text, said, names)


def find_terms(text: str) -> list[tuple[str, str]]:
    """The metrics, glossary words and dimensions a definition question names, in the order written."""
    from rapidfuzz import fuzz, process

    phrases = _phrases()
    words = re.findall(r"[a-z0-9%]+(?:'[a-z]+)?", text)
    found: list[tuple[int, tuple[str, str]]] = []
    used: set[int] = set()
    longest = max(len(p.split()) for p in phrases)
    for size in range(longest, 0, -1):
        for i in range(len(words) - size + 1):
            if used & set(range(i, i + size)):
                continue
            phrase = " ".join(words[i : i + size])
            hit = phrases.get(phrase) or phrases.get(phrase.rstrip("s")) or phrases.get(phrase + "s")
            if hit is None and size == 1 and len(phrase) >= 5:
                best = process.extractOne(
                    phrase, [p for p in phrases if " " not in p], scorer=fuzz.ratio, score_cutoff=85
                )
                hit = phrases[best[0]] if best else None
            if hit and phrase not in _NOT_TERMS:
                found.append((i, hit))
                used.update(range(i, i + size))
    ordered = [hit for _, hit in sorted(found)]
    # "when does an invoice count as overdue": the word after "count as" is the one asked about
    said_as = next(
        (i for i in range(1, len(words)) if words[i] == "as" and words[i - 1] in _COUNTED_AS), None
    )
    if said_as is not None:
        ordered = [hit for i, hit in sorted(found) if i > said_as] + [
            hit for i, hit in sorted(found) if i < said_as
        ]
    return list(dict.fromkeys(ordered))


_COUNTED_AS = {
    "count",
    "counts",
    "counted",
    "considered",
    "treated",
    "flagged",
    "classed",
    "classified",
    "deemed",
}


# words that name a metric somewhere but are the question's own words here
_NOT_TERMS = {"mean", "count", "counts", "number", "calculate", "calculated", "define", "consider", "call"}
