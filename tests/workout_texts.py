"""Workout texts the workout tests share: the reference examples (Intervals.icu's docs), the
realistic ones a coach writes, the thresholds they are checked with, and a Hypothesis strategy
that builds any workout."""

from hypothesis import strategies as st

from coach import workout as workouts
from coach.workout import Repeat, Section, Step, Target, Thresholds, Workout

RIDE = Thresholds(ftp=250, lthr=160, max_hr=185)
RUN = Thresholds(ftp=300, lthr=170, max_hr=190, threshold_pace=4.0)
SWIM = Thresholds(lthr=150, max_hr=175, threshold_pace=1.2)
THRESHOLDS = {"Ride": RIDE, "Run": RUN, "Swim": SWIM}

# Pace-zone midpoints with the default zones (% of threshold speed): Z1 = (62 + 77.5) / 2.
Z1_PACE, Z2_PACE = 0.6975, 0.826

DAVID = """Warmup
- 20m 60% 90-100rpm

Main set 6x
- 4m 100% 40-50 rpm, power is less important than getting the torque
- 5m recovery at 40%

Cooldown
- 20m 60% 90-100rpm"""

SWEET_SPOT = """Warmup
- 10m ramp 50-75% 90rpm
- 5m 65%

Main Set 3x
- 12m 88-92% 85-95rpm
- 4m 55%

Cooldown
- 10m ramp 65-45%"""

VO2 = """- 15m Z2

5x
- 3m 300-320w 100rpm
- 3m Z1

- 10m 55%"""

HR_ENDURANCE = """- Warmup 10m 60-70% HR
- 60m Z2 HR
- 10m 75% LTHR"""

RUN_DISTANCE = """Warmup
- 2km Z2 Pace

Main set 6x
- 800mtr 105% Pace
- 400mtr Z1 Pace

Cooldown
- 10m Z1 Pace"""

RUN_ABSOLUTE = """- 15m ramp 6:30-5:30/km Pace
- 20m 4:30/km Pace
- 10m 6:00/km Pace"""

SWIM_SET = """Warmup
- 300mtr Z2 Pace

Main set 8x
- 100mtr 95% Pace
- 20s Z1 Pace

Cooldown
- 200mtr Z1 Pace"""

REFERENCE_EXAMPLES = [
    ("Ride", DAVID, (20 + 6 * 9 + 20) * 60),
    ("Ride", SWEET_SPOT, 4380),
    ("Ride", VO2, (15 + 5 * 6 + 10) * 60),
    ("Ride", HR_ENDURANCE, 80 * 60),
    ("Run", RUN_DISTANCE, round(
        2000 / (4.0 * Z2_PACE) + 6 * (800 / (4.0 * 1.05) + 400 / (4.0 * Z1_PACE)) + 600
    )),
    ("Run", RUN_ABSOLUTE, 45 * 60),
    ("Swim", SWIM_SET, round(
        300 / (1.2 * Z2_PACE) + 8 * (100 / (1.2 * 0.95) + 20) + 200 / (1.2 * Z1_PACE)
    )),
    ("Run", "- 2h Z2 Pace\n- 10m Z1 Pace", 7800),
    ("Ride", "- RPE9 - not quite all out 2m 315w - 330w press lap", 120),
]

REALISTIC = [
    ("Ride", "- 1h 65%", 3600),
    ("Ride", """Warmup
- 15m ramp 45-70% 90rpm

Over-unders 4x
- 2m 95%
- 1m 105%
- 2m 95%
- 1m 105%
- 4m 50%

- 10m 50%""", (15 + 40 + 10) * 60),
    ("Ride", "- 10m Z2\n\n8x\n- 20s 170%\n- 10s 40%\n\n- 10m Z1", 24 * 60),
    ("Ride", """Warmup
- 10m 55%
- 5m ramp 60-90%

Main set 2x
- 20m 95-100%
- 5m 55%

Cooldown
- 10m 50%""", 75 * 60),
    ("Ride", "- 2h30m Z2 HR", 9000),
    ("Ride", "- 10m 150w\n\n4x\n- 8m 250-260w 90rpm\n- 2m 130w\n\n- 5m 120w", 55 * 60),
    ("Ride", "- 5' 60%\n\n10x\n- 30\" 150%\n- 30\" 50%\n\n- 5' 50%", 20 * 60),
    ("Ride", "5x\n- 1m30 120%\n- 3m 50%", 5 * 270),
    ("Ride", "- 20m 60%\n\nSweet spot 3x\n- 15m 88-93%\n- 5m 55%\n\n- 1h2m30s Z2", 8550),
    ("Ride", """Warmup
- 15m freeride

Main
- 40m 70-75% 85-95 rpm

Cooldown
- 5m freeride""", 3600),
    ("Ride", "- 10m Z1\n- 30m Z3-Z4\n- 10m Z1", 3000),
    ("Ride", "- 15m 60%\n\n6x\n- 1m 90% MMP 1m\n- 4m 45%\n\n- 10m 50%", 55 * 60),
    ("Ride", "- 20m Z2\n\n3x\n- 15s 200% press lap\n- 5m Z1\n\n- 10m Z1", 1200 + 3 * 315 + 600),
    ("Ride", "- 1h30m 75-85% LTHR", 5400),
    ("Ride", "- 45m 65-75% HR", 2700),
    ("Ride", """- Spin easy 10m 55%
- Build 5m ramp 55-85%

Main 3x
- Hard 5m 110%
- Easy 5m 50%

- Cool 10m 50%""", 55 * 60),
    ("VirtualRide", "- 10m 55%\n\n3x\n- 10m 88%-92%\n- 5m 55%\n\n- 5m 50%", 60 * 60),
    ("Run", """- 10m Z1 HR

Strides 6x
- 20s 95% Pace
- 40s Z1 Pace

- 30m Z2 HR
- 5m Z1 HR""", 51 * 60),
    ("Run", """Warmup
- 15m 70-80% Pace

Tempo
- 25m 88-92% Pace

Cooldown
- 10m 70% Pace""", 50 * 60),
    ("Run", """- 15m 6:00/km Pace

5x
- 1km 4:00/km Pace
- 2m 6:30/km Pace

- 10m 6:00/km Pace""", 55 * 60),
    ("Run", "- 1h45m Z2 Pace", 6300),
    ("Run", "- 15m 70%\n\nHills 8x\n- 90s 110-120%\n- 2m30s 60%\n\n- 10m 65%", 57 * 60),
    ("Run", "- 10m ramp 70-85% Pace\n\n6x\n- 1m Z4 Pace\n- 1m Z2 Pace\n\n- 10m Z1 Pace", 32 * 60),
    ("Run", """- 2mi 6:30/mi Pace

3x
- 1mi 5:40/mi Pace
- 3m Z1 HR

- 1mi 7:00/mi Pace""", 2 * 390 + 3 * (340 + 180) + 420),
    ("Run", "- 15m Z1 Pace\n\n10x\n- 400mtr 110% Pace\n- 90s Z1 Pace\n\n- 10m Z1 Pace",
     round(1500 + 10 * (400 / (4.0 * 1.1) + 90))),
    ("Run", "- 20m 5:30-5:00/km Pace", 1200),
    ("TrailRun", """Warmup
- 10m 70% LTHR

Main set 3x
- 10m 95-100% LTHR
- 3m 75% LTHR

Cooldown
- 8m 70% LTHR""", 57 * 60),
    ("Swim", """Warmup
- 400mtr Z1 Pace

Kick 4x
- 50mtr 80% Pace
- 15s Z1 Pace

- 200mtr Z1 Pace""", round(600 / (1.2 * Z1_PACE) + 4 * (50 / (1.2 * 0.8) + 15))),
    ("Swim", """- 300mtr 2:00/100m Pace

10x
- 100mtr 1:40/100m Pace
- 20s Z1 Pace

- 200mtr 2:10/100m Pace""", 360 + 10 * 120 + 260),
    ("Swim", "- 500mtr 2:00/100y Pace", round(500 / (91.44 / 120))),
    ("Swim", "- 10m Z2 Pace\n\n6x\n- 2m 95% Pace\n- 30s Z1 Pace\n\n- 5m Z1 Pace", 30 * 60),
    ("Swim", "- 15m Z2 HR\n- 10m 80-85% Pace", 1500),
    ("OpenWaterSwim", "- 1.5km Z2 Pace", round(1500 / (1.2 * Z2_PACE))),
    ("Swim", "- 400mtr 1:50-1:45/100m Pace\n\n4x\n- 3:00/100m-2:30/100m Pace 200mtr", None),
]

WORDS = st.sampled_from(["Easy", "spin", "Hard", "steady", "torque,", "RPE7", "-", "a/b", "Build"])
LABELS = st.lists(st.sampled_from(["Warmup", "Main", "set", "Cooldown", "Drills", "Kick"]),
                  min_size=1, max_size=3).map(" ".join)


def text_of(words):
    return st.lists(words, max_size=4).map(" ".join)


def pair(values):
    return st.tuples(values, values, st.booleans()).map(lambda t: (t[0], t[0] if t[2] else t[1]))


PERCENT = pair(st.integers(2, 800).map(lambda x: x / 2))


@st.composite
def targets(draw):
    kind = draw(st.sampled_from(workouts.TARGET_KINDS))
    if kind == "freeride":
        return Target(kind)
    if kind == "watts":
        low, high = draw(pair(st.integers(1, 2000).map(float)))
    elif kind.endswith("zone"):
        low, high = draw(pair(st.integers(1, 7).map(float)))
    elif kind == "pace_abs":
        low, high = draw(pair(st.integers(1, 1200).map(float)))
        unit = draw(st.sampled_from(["", *workouts.PACE_UNITS]))
        return Target(kind, low, high, unit=unit)
    else:
        low, high = draw(PERCENT)
    mmp_s = draw(st.integers(1, 7200)) if kind == "mmp_pct" else None
    return Target(kind, low, high, mmp_s=mmp_s)


@st.composite
def steps(draw):
    length = draw(st.sampled_from(["duration", "distance", "none"]))
    values = {}
    if length == "duration":
        values["duration_s"] = draw(st.integers(1, 30000))
    elif length == "distance":
        unit = draw(st.sampled_from(["mtr", "km", "mi"]))
        amount = draw(st.integers(1, 50000)) / (1 if unit == "mtr" else 100)
        values.update(distance_m=amount * workouts.DISTANCE_UNITS[unit], distance_unit=unit)
    target = draw(st.none() | targets())
    cadence = draw(st.none() | pair(st.integers(30, 150)))
    step = Step(
        cue=draw(text_of(WORDS)), press_lap=draw(st.booleans()), target=target,
        ramp=target is not None and target.kind != "freeride" and draw(st.booleans()),
        cadence_low=cadence and cadence[0], cadence_high=cadence and cadence[1], **values,
    )
    structured = length != "none" or step.press_lap or target or cadence
    return Step(**{**step.__dict__, "note": draw(text_of(WORDS)) if structured else ""})


repeats = st.builds(Repeat, header=st.just("") | LABELS, count=st.integers(1, 50),
                    steps=st.lists(steps(), min_size=1, max_size=4).map(tuple))
sections = st.builds(Section, text=LABELS)
workout_strategy = st.lists(sections | steps() | repeats, max_size=6).map(
    lambda items: Workout(tuple(items))
)
