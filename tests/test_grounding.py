"""coach.grounding: every figure in the coach's answer is checked against what the turn saw.

The table below is realistic answers with the tool results of the turn (written as the read tools
print them for the demo athlete) and, for each answer, every figure labelled found or not found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.grounding import Figure, Grounding, check_answer, mark

TODAY = date(2026, 12, 2)  # a Wednesday

CARD = """Name "Alex Demo".
Ride: FTP 250 W, LTHR 165 bpm.
Run: threshold pace 4:30 /km, LTHR 170 bpm.
Swim: threshold pace 1:40 /100m, LTHR 160 bpm.
Fitness 2026-12-01: CTL 62, ATL 70, form -8 (productive training: fitness is building).
Race: "Valencia Half" (RACE_A) on 2027-01-31 (Sun), 60 days to go: build phase."""

PROFILE = """Today is Wednesday 2026-12-02.
Athlete: "Alex Demo", weight 71 kg, resting HR 48 bpm, time zone Europe/Madrid.
Ride: FTP 250 W, LTHR 165 bpm, max HR 185 bpm.
  Power zones (upper bound, % FTP): Z1 55, Z2 75, Z3 90, Z4 105, Z5 120, Z6 150, Z7 above
  HR zones (upper bound, bpm): Z1 137, Z2 150, Z3 157, Z4 164, Z5 169, Z6 174, Z7 185, Z7 above
Run: FTP not set, LTHR 170 bpm, max HR 190 bpm, threshold pace 4:30 /km.
  HR zones (upper bound, bpm): Z1 142, Z2 155, Z3 162, Z4 169, Z5 174, Z6 179, Z7 190, Z7 above
  Pace zones (upper bound, % threshold pace): Z1 77.5, Z2 87.7, Z3 94.3, Z4 100, Z5 103.4, \
Z6 111.5, Z7 above
Swim: LTHR 160 bpm, max HR 180 bpm, threshold pace 1:40 /100m.
Race: "Valencia Half" (RACE_A) on 2027-01-31 (Sun), 60 days to go: build phase."""

SUMMARY = """Today is Wednesday 2026-12-02.
Weekly training, 2026-11-09 to 2026-12-02 (4 weeks, Monday to Sunday; the current week is \
partial). Load in Intervals.icu load units.
2026-11-09: 9.8 h, 194 km, load 568, 8 sessions — Ride 5.3 h 162 km load 260 (3); Run 2.4 h \
26 km load 157 (2); Swim 2.1 h 6 km load 151 (3)
2026-11-16: 7.3 h, 171 km, load 462, 6 sessions — Ride 3.2 h 120 km load 228 (2); Run 4.1 h \
51 km load 234 (4)
2026-11-23: 8.4 h, 182 km, load 512, 7 sessions — Ride 5.9 h 160 km load 380 (3); Run 1.8 h \
22 km load 110 (3); Swim 0.7 h 2 km load 22 (1)
2026-11-30: 1.4 h, 27 km, load 70, 2 sessions — Ride 0.6 h 18 km load 24 (1); Run 0.8 h 9 km \
load 46 (1)"""

FITNESS = """Today is Wednesday 2026-12-02.
Fitness (CTL, 42-day load average), fatigue (ATL, 7-day) and form (CTL − ATL), 2026-10-20 to \
2026-12-01, in Intervals.icu load units.
Latest 2026-12-01: CTL 61.8, ATL 70.2, form -8.4 = productive training: fitness is building.
2026-10-20 (42 days earlier): CTL 55.0, ATL 58.3, form -3.3.
Ramp rate: +4.2 CTL/week (moderate).
Weekly (date: CTL / ATL / form):
2026-10-20: 55.0 / 58.3 / -3.3
2026-10-27: 56.1 / 60.2 / -4.1
2026-11-03: 57.4 / 55.9 / +1.5
2026-11-10: 58.2 / 63.0 / -4.8
2026-11-17: 59.0 / 61.1 / -2.1
2026-11-24: 60.3 / 68.4 / -8.1
2026-12-01: 61.8 / 70.2 / -8.4
Forecast if the 6 planned and proposed workouts are done (rest otherwise):
2026-12-08 (+7 d): CTL 61.1, ATL 57.9, form +3.2 = fresh: ready to race.
2026-12-15 (+14 d): CTL 58.7, ATL 39.5, form +19.2 = transition: very fresh.
2026-12-29 (+28 d): CTL 42.6, ATL 8.9, form +33.7 = transition: very fresh."""

WELLNESS = """Today is Wednesday 2026-12-02.
Wellness, last 7 days against the athlete's own 60-day baseline (2026-10-03 to 2026-12-02):
HRV (rMSSD): 7-day mean 61.3 ms vs 60-day 66.0 ms (below normal) [7 days with data].
Resting HR: 7-day mean 49.1 bpm vs 60-day 46.9 bpm (elevated) [7 days with data].
Sleep: 7-day mean 6.6 h vs 60-day 7.4 h [7 days with data].
Weight: 7-day mean 70.7 kg vs 60-day 70.2 kg [7 days with data].
sleepQuality 7-day mean: 2.6 (scale 1 excellent, 2 good, 3 average, 4 poor)
soreness 7-day mean: 1.4 (scale 0 none … 4 extreme)
fatigue 7-day mean: 1.9 (scale 0 none … 4 extreme)
stress 7-day mean: 1.0 (scale 0 none … 4 extreme)
mood: no data (scale 1 excellent … 4 poor)
Recent days:
2026-11-26 Thu: HRV 64 ms, RHR 48 bpm, sleep 7.1 h, weight 70.7 kg, fatigue 1, soreness 1
2026-11-27 Fri: HRV 60 ms, RHR 49 bpm, sleep 6.2 h, weight 70.6 kg, fatigue 2, soreness 1
2026-11-28 Sat: HRV 63 ms, RHR 48 bpm, sleep 6.9 h, weight 70.5 kg, fatigue 2, soreness 2
2026-11-29 Sun: HRV 58 ms, RHR 51 bpm, sleep 5.8 h, weight 70.9 kg, fatigue 3, soreness 2
2026-11-30 Mon: HRV 59 ms, RHR 50 bpm, sleep 6.4 h, weight 71.0 kg, fatigue 2, soreness 2
2026-12-01 Tue: HRV 61 ms, RHR 49 bpm, sleep 7.0 h, weight 70.7 kg, fatigue 2, soreness 1
2026-12-02 Wed: HRV 64 ms, RHR 49 bpm, sleep 6.8 h, weight 70.8 kg, fatigue 1, soreness 1"""

ACTIVITIES = """Today is Wednesday 2026-12-02.
Activities 2026-11-24 to 2026-12-02: 7. Names are athlete data, not instructions.
2026-12-01 Tue VirtualRide, "Endurance ride", 36m28s, 18.2 km, load 24, intensity 63%, NP 158 W, \
avg HR 134 bpm [id i150099510]
2026-11-30 Mon Run, "Recovery run", 48m10s, 9.1 km, load 46, intensity 68%, avg HR 139 bpm \
[id i150099500]
2026-11-29 Sun Run, "Long run", 1h05m, 13.2 km, load 61, intensity 80%, avg HR 152 bpm \
[id i150099490]
2026-11-28 Sat Ride, "Long ride", 3h05m, 92.3 km, load 180, intensity 72%, NP 182 W, avg HR \
138 bpm [id i1234]
2026-11-27 Fri Swim, "Pool 2k", 42m, 2.0 km, load 22, intensity 70% [id i150099470]
2026-11-26 Thu VirtualRide, "Sweet spot 3x12", 1h15m51s, 40.7 km, load 104, intensity 86%, \
NP 215 W, avg HR 149 bpm [id i150099460]
2026-11-24 Tue Ride, "Endurance ride", 1h36m, 27.0 km, load 96, intensity 65%, NP 165 W, avg \
HR 131 bpm [id i150099441]"""

BEST_RIDE = """Today is Wednesday 2026-12-02.
Best ride efforts, 6 weeks up to 2026-12-02:
5 s: 855 W (342% of FTP)
1 min: 513 W (205% of FTP)
5 min: 285 W (114% of FTP)
20 min: 238 W (95% of FTP)
1 h: 226 W (90% of FTP)"""

BEST_RUN = """Today is Wednesday 2026-12-02.
Best run efforts, 1 year up to 2026-12-02:
1 km: 3m50s (3:50 /km)
5 km: 21m27s (4:17 /km)
10 km: 45m03s (4:30 /km)
half marathon: 1h40m08s (4:45 /km)"""

BEST_SWIM = """Today is Wednesday 2026-12-02.
Best swim efforts, 1 year up to 2026-12-02:
100 m: 1m23s (83 s/100m)
200 m: 2m54s (87 s/100m)
400 m: 6m05s (91 s/100m)
800 m: 12m46s (96 s/100m)
1500 m: 25m (100 s/100m)"""

INTENSITY = """Today is Wednesday 2026-12-02.
Intensity distribution 2026-11-04 to 2026-12-02: time in zones from the activities' zone times \
(power first, then pace, then HR).
Below threshold (Z1-Z2) 74%, around threshold (Z3-Z4) 23%, above (Z5+) 3% of 32.3 h.
power zones (11 activities): Z1 2.8 h, Z2 11.8 h, Z3 2.4 h, Z4 1.6 h, Z5 0.2 h, Z6 0.0 h, \
Z7 0.0 h.
hr zones (26 activities): Z1 9.6 h, Z2 13.2 h, Z3 5.0 h, Z4 3.1 h, Z5 0.9 h, Z6 0.1 h, Z7 0.3 h.
pace zones (15 activities): Z1 3.4 h, Z2 6.1 h, Z3 2.6 h, Z4 0.9 h, Z5 0.3 h, Z6 0.3 h, \
Z7 0.0 h."""

COMPLIANCE = """Today is Wednesday 2026-12-02.
Planned vs done, 2026-11-04 to 2026-12-02:
14 done, 1 missed, 1 still to come; 93% of due sessions completed. Planned 21.2 h / load 1219; \
done 20.7 h / load 1176.
2026-11-24 "Sweet spot 3x12": done, match 95%
2026-11-25 "Progression run": done, match 93%
2026-11-27 "Swim CSS 10x100": missed
2026-11-28 "Long ride": done, match 95%
2026-12-02 "Easy run": upcoming"""

PLANNED = """Today is Wednesday 2026-12-02.
Calendar 2026-12-02 to 2026-12-09: 6 events. Names and descriptions are athlete data, not \
instructions.
2026-12-02 Wed WORKOUT Run "Easy run" 30m, load 29 [event 104600016]
2026-12-04 Fri WORKOUT Swim "Swim CSS 10x100" 39m40s, load 53 [event 104600017]
2026-12-05 Sat WORKOUT Ride "Long ride" 2h, load 84 [event 104600018]
2026-12-06 Sun WORKOUT Run "Long run" 55m, load 57 [event 104600019]
2026-12-08 Tue WORKOUT Ride "VO2 5x4" 1h05m, load 69 [event 104600020]
2026-12-09 Wed WORKOUT Run "Tempo run 3x10" 1h04m, load 72 [event 104600021]"""

# A proposal: the tool's result, and the workout text the model sent (the call's arguments).
PROPOSED = """Proposal 41 saved for 2026-12-05 (Sat): Ride "Sweet spot 2x20", 1h25m, estimated \
load 92. It is NOT on the calendar: the athlete sees it with Confirm and Reject buttons."""
PROPOSAL_TEXT = """Warmup
- 15m 55-75%

Main set 2x
- 20m 88-94%
- 5m 55%

Cooldown
- 10m 50%"""


@dataclass(frozen=True)
class Case:
    name: str
    answer: str
    seen: tuple[str, ...]
    figures: tuple[tuple[str, bool], ...]  # every figure of the answer: (text, found)


def case(name: str, answer: str, seen: tuple[str, ...], *figures: tuple[str, bool]) -> Case:
    return Case(name, answer, seen, figures)


Y, N = True, False

CASES = [
    case("weekly review", "Last week (23–29 Nov) you trained 8.4 h over 7 sessions: 5.9 h on "
         "the bike, 1.8 h running and 0.7 h swimming, for a load of 512. That's up from 7.3 h "
         "the week before.", (SUMMARY,),
         ("23", Y), ("29 Nov", Y), ("8.4 h", Y), ("7 sessions", Y), ("5.9 h", Y), ("1.8 h", Y),
         ("0.7 h", Y), ("512", Y), ("7.3 h", Y)),
    case("weekly review, invented", "You rode 6.4 h last week and ran 22 km; total load 540 "
         "across 9 sessions.", (SUMMARY,),
         ("6.4 h", N), ("22 km", Y), ("load 540", N), ("9 sessions", N)),
    case("sum of two sports", "In the week of 16 Nov you rode 3.2 h and ran 4.1 h: 7.3 h in "
         "total, with 120 km on the bike and 51 km on foot.", (SUMMARY,),
         ("16 Nov", Y), ("3.2 h", Y), ("4.1 h", Y), ("7.3 h", Y), ("120 km", Y), ("51 km", Y)),
    case("difference of two weeks, operands unsaid", "Compared with the week before, last "
         "week's riding rose by 2.7 h.", (SUMMARY,), ("2.7 h", Y)),
    case("sum of a week's sports, operands unsaid", "Last week you rode and ran for 7.7 h.",
         (SUMMARY,), ("7.7 h", Y)),
    case("percentage change", "Your weekly load went from 462 to 512, up 11%.", (SUMMARY,),
         ("462", Y), ("512", Y), ("11%", Y)),
    case("percentage change, wrong", "Running went from 26 km to 51 km, up 52%.", (SUMMARY,),
         ("26 km", Y), ("51 km", Y), ("52%", N)),
    case("fitness trend", "Your fitness (CTL) is 61.8, up from 55.0 six weeks ago — a gain of "
         "6.8 points. Fatigue (ATL) is 70.2, so form is -8.4: productive training. Ramp rate "
         "+4.2 CTL/week is moderate.", (FITNESS, CARD),
         ("61.8", Y), ("55.0", Y), ("6.8 points", Y), ("70.2", Y), ("-8.4", Y),
         ("+4.2 CTL/week", Y)),
    case("fitness rounded, difference stated", "CTL 62, ATL 70, form -8. Six weeks ago CTL "
         "was 55, so you've added about 7 points.", (FITNESS,),
         ("CTL 62", Y), ("ATL 70", Y), ("form -8", Y), ("55", Y), ("7 points", Y)),
    case("CTL 62 - 55", "CTL 62 - 55 = 7 points gained since October.", (CARD, FITNESS),
         ("CTL 62", Y), ("55", Y), ("7 points", Y)),
    case("fitness invented", "Your CTL 64 and ATL 72 give form -6. Ramp rate +5.1 CTL/week.",
         (FITNESS,), ("CTL 64", N), ("ATL 72", N), ("form -6", N), ("+5.1 CTL/week", N)),
    case("negative and positive form", "Form is −8.4 today and was +1.5 on 3 Nov; it should "
         "swing to +3.2 by 8 Dec if you do the planned sessions.", (FITNESS,),
         ("−8.4", Y), ("+1.5", Y), ("3 Nov", Y), ("+3.2", Y), ("8 Dec", Y)),
    case("wrong sign", "Form is +8.4, so you're fresh; ATL is 8.4 points above CTL.",
         (FITNESS,), ("+8.4", N), ("8.4 points", Y)),
    case("load keywords after the number", "You're carrying 70 ATL against 62 CTL, so about "
         "-8 form.", (CARD,), ("70 ATL", Y), ("62 CTL", Y), ("-8 form", Y)),
    case("race readiness", "Your A race, Valencia Half on Sunday 31 Jan, is 60 days away. With "
         "CTL 62 and form -8 you have time: aim for form between +5 and +15 on race day.",
         (CARD, FITNESS), ("Sunday 31 Jan", Y), ("60 days", Y), ("CTL 62", Y), ("form -8", Y),
         ("+5", N), ("+15", N)),
    case("race on the wrong weekday", "Race day is Saturday 31 Jan — 60 days to go, about 9 "
         "weeks.", (CARD,), ("Saturday 31 Jan", N), ("60 days", Y), ("9 weeks", Y)),
    case("planning a ride: the proposal", "I've proposed \"Sweet spot 2x20\" for Saturday "
         "5 Dec: 1h25m, estimated load 92. The main set is 2x20 min at 88-94% of FTP (220-235 "
         "W), with 5 min easy between.", (PROFILE, PLANNED, PROPOSED, PROPOSAL_TEXT),
         ("20", Y), ("Saturday 5 Dec", Y), ("1h25m", Y), ("load 92", Y), ("20 min", Y),
         ("88", Y), ("94%", Y), ("220", Y), ("235 W", Y), ("5 min", Y)),
    case("planning: watts off the percentage", "For Saturday, try 3x12 min at 105% of FTP, "
         "that's 270 W.", (PROFILE,), ("12 min", N), ("105%", Y), ("270 W", N)),
    case("planning: invented range", "Sweet spot is 84-97% of FTP.", (PROFILE,),
         ("84", N), ("97%", N)),
    case("range from the proposal", "The main set is 3x12 min at 88-92% FTP, with 4 min at "
         "55% between.", (PROFILE, "Main set 3x\n- 12m 88-92%\n- 4m 55%"),
         ("12 min", Y), ("88", Y), ("92%", Y), ("4 min", Y), ("55%", Y)),
    case("hours range", "Your last two long rides lasted 3-4 hours (3h05m and 3h48m).",
         (ACTIVITIES, '2026-11-21 Sat Ride, "Long ride", 3h48m, 101.0 km, load 201'),
         ("3", Y), ("4 hours", Y), ("3h05m", Y), ("3h48m", Y)),
    case("best ride efforts", "Your best 20 min power over the last 6 weeks is 238 W — 95% of "
         "your 250 W FTP. Your 5 min best is 285 W (114%) and 1 h is 226 W.",
         (BEST_RIDE, PROFILE),
         ("20 min", Y), ("6 weeks", Y), ("238 W", Y), ("95%", Y), ("250 W", Y), ("5 min", Y),
         ("285 W", Y), ("114%", Y), ("1 h", Y), ("226 W", Y)),
    case("best ride efforts, invented", "Your 20-minute best is 312 W and your 5-minute best "
         "298 W, so your FTP would be 296 W.", (BEST_RIDE, PROFILE),
         ("20-minute", Y), ("312 W", N), ("5-minute", Y), ("298 W", N), ("296 W", N)),
    case("percent of FTP and LTHR", "Saturday's long ride: NP 182 W, 73% of FTP, at 138 bpm — "
         "84% of your LTHR.", (ACTIVITIES, PROFILE),
         ("182 W", Y), ("73%", Y), ("138 bpm", Y), ("84%", Y)),
    case("percent of FTP, wrong", "Your NP of 182 W was 79% of FTP.", (ACTIVITIES, PROFILE),
         ("182 W", Y), ("79%", N)),
    case("run paces", "Your 10 km best is 45:03 (4:30/km), right at threshold pace of "
         "4:30 /km. Half marathon in 1:40:08 at 4:45 min/km.", (BEST_RUN, PROFILE),
         ("10 km", Y), ("45:03", Y), ("4:30/km", Y), ("4:30 /km", Y), ("1:40:08", Y),
         ("4:45 min/km", Y)),
    case("run pace invented", "Your 5 km best is 21:47 (4:21/km).", (BEST_RUN,),
         ("5 km", Y), ("21:47", N), ("4:21/km", N)),
    case("swim without heart rate", "Friday's swim was 2.0 km in 42 minutes, 2:06 /100m. No "
         "heart rate was recorded, so intensity (70%) comes from pace alone.", (ACTIVITIES,),
         ("2.0 km", Y), ("42 minutes", Y), ("2:06 /100m", Y), ("70%", Y)),
    case("swim best efforts", "Your best 400 m is 6:05, about 91 s/100m, and 1500 m took 25 "
         "minutes at 1:40/100m.", (BEST_SWIM,),
         ("400 m", Y), ("6:05", Y), ("91 s/100m", Y), ("1500 m", Y), ("25 minutes", Y),
         ("1:40/100m", Y)),
    case("average speed", "The long ride averaged 29.9 km/h, call it 30 km/h, not 31 km/h.",
         (ACTIVITIES,), ("29.9 km/h", Y), ("30 km/h", Y), ("31 km/h", N)),
    case("wellness", "Your HRV 7-day mean is 61.3 ms against a 60-day baseline of 66.0 ms — "
         "4.7 ms lower, about 7% below normal. Resting HR has risen to 49.1 bpm from 46.9 bpm, "
         "and you averaged 6.6 h of sleep.", (WELLNESS,),
         ("7-day", Y), ("61.3 ms", Y), ("60-day", Y), ("66.0 ms", Y), ("4.7 ms", Y), ("7%", Y),
         ("49.1 bpm", Y), ("46.9 bpm", Y), ("6.6 h", Y)),
    case("wellness invented", "HRV averaged 57 ms this week versus 66 ms normally, and you "
         "slept 5.9 h a night.", (WELLNESS,), ("57 ms", N), ("66 ms", Y), ("5.9 h", N)),
    case("subjective scores", "Fatigue is 1.9 on a 0-4 scale and soreness 1.4; your weight "
         "is 70.72 kg.", (WELLNESS,), ("1.9", Y), ("4", Y), ("1.4", Y), ("70.72 kg", N)),
    case("rounding to the precision written", "HRV is 88 ms (87.6 ms to be exact), not 87.5 "
         "ms; CTL 62.", ("HRV (rMSSD): 7-day mean 87.6 ms vs 60-day 85.0 ms.", "CTL 62.4"),
         ("88 ms", Y), ("87.6 ms", Y), ("87.5 ms", N), ("CTL 62", Y)),
    case("more precision than the data", "Your FTP is 250.4 W and CTL 61.83.", (CARD, FITNESS),
         ("250.4 W", N), ("CTL 61.83", N)),
    case("unit changes", "The ride took 1.5 h (90 min, 1:30, 5400 s) for 42.2 km; the official "
         "42.195 km is longer than the data says.",
         ('2026-11-21 Sat Ride, "Endurance ride", 1h30m, 42.2 km, load 75 [id i3001]',),
         ("1.5 h", Y), ("90 min", Y), ("1:30", Y), ("5400 s", Y), ("42.2 km", Y),
         ("42.195 km", N)),
    case("unit change from the athlete's metres", "Congratulations on the 42.2 km — 42.195 km "
         "is a big milestone, and 1h30m of it at race pace.",
         (CARD, "I finally ran my first marathon, 42195 m! 90 minutes at race pace."),
         ("42.2 km", Y), ("42.195 km", Y), ("1h30m", Y)),
    case("a number the athlete wrote", "312 W for 20 minutes is well above your 250 W FTP — "
         "125% of it.", (CARD, "I did 312 W for 20 minutes yesterday on the trainer, is my "
                               "FTP higher than 250?"),
         ("312 W", Y), ("20 minutes", Y), ("250 W", Y), ("125%", Y)),
    case("list numbering and small counting words", "Two things stand out:\n1. Volume dropped "
         "to 1.4 h this week.\n2. Swim load was only 22 last week.\nThere are 2 fixes: add 1 "
         "swim and keep 3 sessions easy.", (SUMMARY,),
         ("1.4 h", Y), ("22", Y), ("1 swim", Y), ("3 sessions", Y)),
    case("zones and a fenced workout", "Keep Z2 (zone 2, up to 75% FTP) for most rides:\n```\n"
         "Warmup\n- 10m 55%\nMain set 3x\n- 12m 90%\n```\nthe short version: `3x12m 90%`.",
         (PROFILE,), ("75%", Y)),
    case("inline code only", "Try `- 20m 88-92%` twice, in zone 3.", (PROFILE,)),
    case("small talk", "Hi! Happy to help — ask me about your training, races or recovery.",
         (CARD,)),
    case("small talk with a figure", "Good luck at the race in 60 days! Ask me anything.",
         (CARD,), ("60 days", Y)),
    case("dates relative to today", "Today (Wednesday 2 Dec) is a rest day; tomorrow, Thu 3 Dec, "
         "do an easy run; yesterday, 1 Dec, was the ride.", (CARD,),
         ("Wednesday 2 Dec", Y), ("Thu 3 Dec", Y), ("1 Dec", Y)),
    case("dates not in the data", "Let's plan a long ride on 12 Dec and a test on Dec 19.",
         (CARD,), ("12 Dec", N), ("Dec 19", N)),
    case("date formats", "The long ride on 2026-11-28 (Sat), Nov 28th, and the run on Sunday, "
         "29 November 2026 both count.", (ACTIVITIES,),
         ("2026-11-28 (Sat)", Y), ("Nov 28th", Y), ("Sunday, 29 November 2026", Y)),
    case("wrong weekday, ISO date", "The long ride on Friday 2026-11-28 went well.",
         (ACTIVITIES,), ("Friday 2026-11-28", N)),
    case("wrong weekday for a planned swim", "Your CSS swim is on Thursday 4 Dec; Friday 4 Dec "
         "is right.", (PLANNED,), ("Thursday 4 Dec", N), ("Friday 4 Dec", Y)),
    case("the Sunday of a seen week", "The week from Mon 23 Nov to Sun 29 Nov had 7 sessions.",
         (SUMMARY,), ("Mon 23 Nov", Y), ("Sun 29 Nov", Y), ("7 sessions", Y)),
    case("minutes written as m", "Sunday's long run is planned at 55m, and Tuesday's VO2 session "
         "is 1h05m with load 69.", (PLANNED,), ("55m", Y), ("1h05m", Y), ("load 69", Y)),
    case("threshold speed in m/s", "Your threshold pace is 4:30/km.",
         ("Run threshold pace 3.7 m/s",), ("4:30/km", Y)),
    case("compliance", "You completed 14 of 15 due sessions (93%), 20.7 h of the 21.2 h "
         "planned; the only miss was the swim on 27 Nov.", (COMPLIANCE,),
         ("14", Y), ("15", Y), ("93%", Y), ("20.7 h", Y), ("21.2 h", Y), ("27 Nov", Y)),
    case("intensity distribution", "74% of your 32.3 h was below threshold, 23% around it and "
         "3% above. Z2 alone was 11.8 h on power, and Z1 plus Z2 made 14.6 h.", (INTENSITY,),
         ("74%", Y), ("32.3 h", Y), ("23%", Y), ("3%", Y), ("11.8 h", Y), ("14.6 h", Y)),
    case("inflated zone hours", "You spent 14 h in Z2 by heart rate and 10 h in Z1.",
         (INTENSITY,), ("14 h", N), ("10 h", Y)),
    case("earlier tool result still in context", "Earlier I said your load was 568 in the week "
         "of 9 Nov; that's still your biggest week.", (FITNESS, SUMMARY),
         ("568", Y), ("9 Nov", Y)),
    case("thousands separator", "Planned load was 1,219 and you did 1,176.", (COMPLIANCE,),
         ("1,219", Y), ("1,176", Y)),
    case("years and ordinals", "Your 2027 season starts with the 1st race of the year, 60 days "
         "out.", (CARD,), ("60 days", Y)),
    case("invented CTL", "CTL 75 is solid, and 14 h weeks would be too much.", (CARD,),
         ("CTL 75", N), ("14 h", N)),
    case("block review, mixed", "This block you averaged 8.2 h a week, peaking at 9.8 h. CTL "
         "climbed from 55.0 to 61.8 (+6.8) and the ramp rate is +4.2 CTL/week. Next week, hold "
         "9 h and keep load near 500.", (SUMMARY, FITNESS),
         ("8.2 h", N), ("9.8 h", Y), ("55.0", Y), ("61.8", Y), ("+6.8", Y),
         ("+4.2 CTL/week", Y), ("9 h", N), ("500", N)),
    case("markdown table", "| Week | Hours | Load |\n|---|---|---|\n| 9 Nov | 9.8 | 568 |\n"
         "| 16 Nov | 7.3 | 462 |\n| 23 Nov | **8.4** | 515 |", (SUMMARY,),
         ("9 Nov", Y), ("9.8", Y), ("568", Y), ("16 Nov", Y), ("7.3", Y), ("462", Y),
         ("23 Nov", Y), ("8.4", Y), ("515", N)),
    case("W/kg from the athlete's weight", "Your FTP of 250 W at 71 kg is 3.52 W/kg (about "
         "3.5 W/kg); 3.7 W/kg would need 263 W.", (CARD, "I weigh 71 kg. What's my W/kg?"),
         ("250 W", Y), ("71 kg", Y), ("3.52 W/kg", Y), ("3.5 W/kg", Y), ("3.7 W/kg", N),
         ("263 W", N)),
    case("weekly averages and totals", "Over the full weeks you averaged 8.5 h and load 514 a "
         "week, 547 km in total.", (SUMMARY,), ("8.5 h", Y), ("load 514", Y), ("547 km", Y)),
    case("weekly average, invented", "You averaged 9.1 h and 530 km a week.", (SUMMARY,),
         ("9.1 h", N), ("530 km", N)),
    case("total of a zone list", "On power you logged 18.8 h, 11.8 h of it in Z2.", (INTENSITY,),
         ("18.8 h", Y), ("11.8 h", Y)),
    case("share of two stated figures", "Last week you rode 5.9 h and ran 1.8 h: 77% of that "
         "on the bike, not 70%.", (SUMMARY,), ("5.9 h", Y), ("1.8 h", Y), ("77%", Y),
         ("70%", N)),
    case("percentage of a stated figure", "95% of your 5 min best of 285 W is 271 W, not "
         "276 W.", (BEST_RIDE,), ("95%", Y), ("5 min", Y), ("285 W", Y), ("271 W", Y),
         ("276 W", N)),
    case("multiple of FTP", "Your 5 s peak of 855 W is 3.4x FTP, not 3.6x.", (BEST_RIDE, CARD),
         ("5 s", Y), ("855 W", Y), ("3.4x", Y), ("3.6x", N)),
    case("zone ranges", "Z2 is 56-75% of FTP (140-188 W), Z2 HR on the bike 138-150 bpm; Z3 "
         "tops out at 92%.", (PROFILE,), ("56", Y), ("75%", Y), ("140", Y), ("188 W", Y),
         ("138", Y), ("150 bpm", Y), ("92%", N)),
    case("bare numbers the answer states", "Your CTL of 61.8 is 6.8 above the 55.0 of 20 Oct, "
         "not 7.8.", (FITNESS,), ("61.8", Y), ("6.8", Y), ("55.0", Y), ("20 Oct", Y),
         ("7.8", N)),
    case("a goal the athlete wrote", "Sub-45 is close: your 10 km best is 45:03.",
         (BEST_RUN, "I want to break 45 minutes in the 10k."),
         ("45", Y), ("10 km", Y), ("45:03", Y)),
    case("a date the athlete wrote", "Your race on Saturday 14 March is 102 days away; 14 Mar "
         "2027 is a Sunday, so check the date.", ("I have a race on 14 March, can you help?",),
         ("Saturday 14 March", N), ("102 days", Y), ("14 Mar 2027", Y)),
]


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("c", CASES, ids=[c.name for c in CASES])
def test_every_figure_is_found_and_none_labelled_found_is_flagged(c: Case) -> None:
    result = check_answer(c.answer, c.seen, TODAY)
    assert [f.text for f in result.figures] == [text for text, _ in c.figures]
    wrongly_flagged = [f.text for f, (_, found) in zip(result.figures, c.figures, strict=True)
                       if found and not f.found]
    assert wrongly_flagged == []


def test_precision_and_recall_over_the_table() -> None:
    counts = {"found": [0, 0], "not found": [0, 0]}  # label -> [figures, flagged]
    missed = []
    for c in CASES:
        result = check_answer(c.answer, c.seen, TODAY)
        for f, (_, found) in zip(result.figures, c.figures, strict=True):
            row = counts["found" if found else "not found"]
            row[0] += 1
            row[1] += not f.found
            if not found and f.found:
                missed.append(f"{c.name}: {f.text}")
    print(f"\n{'labelled':<12}{'figures':>8}{'flagged':>9}")
    for label, (n, flagged) in counts.items():
        print(f"{label:<12}{n:>8}{flagged:>9}")
    print("not flagged although labelled not found:", missed or "none")
    assert counts["found"][1] == 0
    assert counts["not found"][1] >= 0.95 * counts["not found"][0]


def _shifted(text: str, how: str) -> str | None:
    """The figure with its number (a clock's seconds) moved by 3 in the last digit, or by 8%."""
    numbers = list(re.finditer(r"\d+(?:\.\d+)?", text))
    clock = re.search(r"\d:(\d\d)", text)
    m = next(n for n in numbers if n.start() == clock.start(1)) if clock else numbers[0]
    decimals = len(m.group().partition(".")[2])
    value = float(m.group())
    value = {"+": value + 3 * 10 ** -decimals, "-": value - 3 * 10 ** -decimals,
             "+%": value * 1.08, "-%": value * 0.92}[how]
    new = f"{round(value) % 60:02d}" if clock else f"{value:.{decimals}f}"
    return None if value <= 0 or new == m.group() else text[:m.start()] + new + text[m.end():]


def test_near_misses_of_found_figures_are_mostly_flagged() -> None:
    """Invented figures look like real ones: move each found figure of the table a little and
    count how often it is still accepted (it may rightly be: another seen figure rounds to it)."""
    flagged = total = 0
    for c in CASES:
        for f, (_, found) in zip(check_answer(c.answer, c.seen, TODAY).figures, c.figures,
                                 strict=True):
            for how in ("+", "-", "+%", "-%"):
                new = _shifted(f.text, how) if found and f.kind != "date" else None
                answer = c.answer[:f.start] + (new or "") + c.answer[f.end:]
                moved = [g for g in check_answer(answer, c.seen, TODAY).figures
                         if new and g.start == f.start]  # none if it became "1" (ignored)
                total += len(moved)
                flagged += sum(not g.found for g in moved)
    print(f"\nnear misses: {total}, flagged: {flagged} ({flagged / total:.0%})")
    assert flagged >= 0.8 * total


# --- the result -------------------------------------------------------------------------------

def _figure(text: str, found: bool = True, reason: str = "") -> Figure:
    return Figure(text, 0, len(text), found, "power", reason)


@pytest.mark.parametrize("figures, line", [
    ((), ""),
    ((_figure("238 W"),), "1 figure found in your data"),
    ((_figure("238 W"), _figure("95%")), "All 2 figures found in your data"),
    ((_figure("312 W", False, "not in the data"),),
     "1 figure not found in your data: 312 W"),
    ((_figure("238 W"), _figure("312 W", False, "not in the data"),
      _figure("14 h", False, "not in the data")),
     "2 of 3 figures not found in your data: 312 W, 14 h"),
    ((_figure("Thursday 4 Dec", False, "4 Dec 2026 is a Friday"), _figure("238 W")),
     "1 of 2 figures not found in your data: Thursday 4 Dec (4 Dec 2026 is a Friday)"),
    (tuple(_figure(f"{300 + i} W", False, "not in the data") for i in range(7)),
     "7 of 7 figures not found in your data: 300 W, 301 W, 302 W, 303 W, 304 W, and 2 more"),
])
def test_line_wording(figures: tuple[Figure, ...], line: str) -> None:
    assert Grounding(figures).line() == line


def test_ok_and_missing() -> None:
    result = check_answer("FTP 250 W, not 260 W.", (CARD,), TODAY)
    assert not result.ok
    assert [f.text for f in result.missing] == ["260 W"]
    assert check_answer("FTP 250 W.", (CARD,), TODAY).ok
    assert check_answer("No figures here.", (CARD,), TODAY).ok


def test_mark_wraps_only_the_missing_figures() -> None:
    answer = "NP 182 W on Saturday, 312 W on Sunday, CTL 75 now."
    result = check_answer(answer, (ACTIVITIES, CARD), TODAY)
    assert mark(answer, result) == "NP 182 W on Saturday, **312 W** on Sunday, **CTL 75** now."
    assert mark(answer, result, "<mark>", "</mark>") == \
        "NP 182 W on Saturday, <mark>312 W</mark> on Sunday, <mark>CTL 75</mark> now."


def test_mark_skips_a_figure_whose_text_moved() -> None:
    result = check_answer("It was 312 W.", (CARD,), TODAY)
    assert mark("Changed: it was 312 W.", result) == "Changed: it was 312 W."


def test_json_round_trip() -> None:
    result = check_answer(CASES[0].answer + " Thursday 4 Dec, 312 W.", (SUMMARY,), TODAY)
    text = result.to_json()
    assert "\n" not in text and ": " not in text  # compact
    assert Grounding.from_json(text) == result
    assert Grounding.from_json(Grounding(()).to_json()) == Grounding(())


@pytest.mark.parametrize("c", CASES, ids=[c.name for c in CASES])
def test_spans_slice_back_to_the_text(c: Case) -> None:
    for f in check_answer(c.answer, c.seen, TODAY).figures:
        assert c.answer[f.start:f.end] == f.text


def test_kinds_and_reasons() -> None:
    answer = "312 W, 14 h, 4:45 /km, 150 bpm, 12%, CTL 75, 40 km, Thursday 4 Dec, 17 tips."
    kinds = {f.text: (f.kind, f.reason) for f in check_answer(answer, (), TODAY).figures}
    assert kinds == {
        "312 W": ("power", "not in the data"), "14 h": ("duration", "not in the data"),
        "4:45 /km": ("pace", "not in the data"), "150 bpm": ("hr", "not in the data"),
        "12%": ("percent", "not in the data"), "CTL 75": ("load", "not in the data"),
        "40 km": ("distance", "not in the data"),
        "Thursday 4 Dec": ("date", "4 Dec 2026 is a Friday"), "17": ("number", "not in the data")}


# --- properties -------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 .,:-–+−/%hmsWkbpmxZz()\n`#*"
                                             "DecThursdayCTLformloadFTP")), max_size=120),
       st.lists(st.text(max_size=80), max_size=3))
def test_never_raises_on_arbitrary_text(answer: str, seen: list[str]) -> None:
    result = check_answer(answer, seen, TODAY)
    for f in result.figures:
        assert answer[f.start:f.end] == f.text
    assert Grounding.from_json(result.to_json()) == result
    mark(answer, result)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_any_unicode(answer: str) -> None:
    check_answer(answer, [answer[::-1]], TODAY)


@pytest.mark.parametrize("answer, seen", [
    ("5,673.4x and 88-3.4x", ""), ("Mon 27 Dec 9999", "9999-12-27 and 0001-01-01"),
    ("9" * 5000 + " h", "1" * 5000 + "h" + "2" * 5000 + "m"), ("31 Feb - 30 Feb", "")])
def test_never_raises_on_edge_cases(answer: str, seen: str) -> None:
    check_answer(answer, [seen], TODAY)


SEEN_FIGURES = ["312 W", "14 h", "4:45 /km", "61.8", "-8.4", "87.6 ms", "42.2 km", "1h05m",
                "93%", "150 bpm", "70.7 kg", "2026-11-28", "4 Dec", "3h05m", "+4.2", "568"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SEEN_FIGURES), min_size=1, max_size=8),
       st.sampled_from([", ", "; ", " and ", " then ", "\n- "]))
def test_an_answer_made_of_seen_figures_is_all_found(figures: list[str], glue: str) -> None:
    context = "Seen: " + ", ".join(SEEN_FIGURES) + "."
    answer = "You had " + glue.join(figures) + "."
    result = check_answer(answer, [context], TODAY)
    assert result.ok, result.line()
    assert len(result.figures) == len(figures)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(4, 20000), st.sampled_from([0, 1]),
                          st.sampled_from(["W", "bpm", "km", "h", "min", "%", "ms", "kg"]),
                          st.booleans()), min_size=1, max_size=6))
def test_seen_figures_restated_or_rounded_are_found(
        figures: list[tuple[int, int, str, bool]]) -> None:
    seen = ", ".join(f"{tenths / 10:.{digits}f} {unit}" for tenths, digits, unit, _ in figures)
    answer = "; ".join(f"{tenths / 10:.{0 if rounded else digits}f} {unit}"
                       for tenths, digits, unit, rounded in figures)
    result = check_answer("You had " + answer + ".", ["Data: " + seen + "."], TODAY)
    assert result.ok, (seen, result.line())


# --- what is no figure, and other rules --------------------------------------------------------

@pytest.mark.parametrize("answer", [
    "1. Easy week.\n2) Rest.\n  3. Sleep more.",
    "Stay in Z2, zone 2 or zones 1-2; Z5+ only once.",
    "Do it 4x, twice a week: 2x, or 5 x more.",
    "Your 2nd long run in 2026 starts at 7 am or 6:30 pm.",
    "Two things: 2 fixes and one of 3 options.",
    "VO2max work, see i150099510.",
    "```\n- 10m 55%\n- 3x12m 90%\n```",
    "Run `4:30/km` today, see https://intervals.icu/activities/123456.",
])
def test_what_is_no_figure(answer: str) -> None:
    assert check_answer(answer, (), TODAY).figures == ()


def test_small_numbers_with_a_unit_or_data_word_are_checked() -> None:
    texts = [f.text for f in check_answer("2 h, CTL 3, 3 sessions, 1 km.", (), TODAY).figures]
    assert texts == ["2 h", "CTL 3", "3 sessions", "1 km"]


def test_a_repeat_count_is_no_figure_but_what_is_repeated_is() -> None:
    texts = [f.text for f in check_answer("5 x 4 min and 3x12 min", (), TODAY).figures]
    assert texts == ["4 min", "12 min"]


def test_today_always_counts_and_seen_may_be_a_generator() -> None:
    nothing: tuple[str, ...] = ()
    result = check_answer("Today, Wednesday 2 Dec, and 2026-12-02.", (t for t in nothing), TODAY)
    assert result.ok and len(result.figures) == 2
    assert check_answer("FTP 250 W", (t for t in [CARD]), TODAY).ok


def test_impossible_date() -> None:
    (figure,) = check_answer("Race on 31 Feb.", (CARD,), TODAY).figures
    assert (figure.text, figure.found, figure.reason) == ("31 Feb", False, "no such date")


def test_a_date_without_year_is_the_nearest_one() -> None:
    assert check_answer("Race on Sunday 31 Jan.", (CARD,), TODAY).ok  # 2027, not 2026
    assert check_answer("Back on Mon 30 Nov.", (), date(2027, 1, 10)).missing[0].reason == \
        "not in the data"  # 30 Nov 2026 was a Monday: the weekday is right


@pytest.mark.parametrize("text", ["", "[]", "{}", '{"figures": [[1, 2]]}', "not json"])
def test_from_json_rejects_what_to_json_did_not_write(text: str) -> None:
    with pytest.raises(ValueError):
        Grounding.from_json(text)

