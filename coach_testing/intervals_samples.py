"""Sample Intervals.icu payloads (reference §7.1-7.3): one athlete with sport settings, three
activities and a Strava stub, three wellness days, and best-effort curves built from simple models.

Deep-copy before mutating: `copy.deepcopy(SAMPLE_...)`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

SAMPLE_TODAY = date(2026, 3, 13)  # the day after the samples (2026-03-10..12)

SAMPLE_ATHLETE: dict[str, Any] = {
    "id": "i123456", "name": "Ana Ruiz", "firstname": "Ana", "lastname": "Ruiz",
    "email": "ana@example.com", "sex": "F", "city": "Madrid", "country": "Spain",
    "timezone": "Europe/Madrid", "locale": "es", "measurement_preference": "meters",
    "weight_pref_lb": False, "fahrenheit": False, "icu_weight": 61.5, "icu_resting_hr": 48,
    "icu_date_of_birth": "1990-05-15", "plan": "SUPPORTER",
    "sportSettings": [
        {
            "id": 1340913, "athlete_id": "i123456",
            "types": ["Ride", "VirtualRide", "MountainBikeRide", "GravelRide", "TrackRide",
                      "Cyclocross"],
            "ftp": 250, "indoor_ftp": 245, "w_prime": 18000, "lthr": 165, "max_hr": 185,
            "warmup_time": 1200, "cooldown_time": 600,
            "power_zones": [55, 75, 90, 105, 120, 150, 999],
            "power_zone_names": ["Active Recovery", "Endurance", "Tempo", "Threshold", "VO2 Max",
                                 "Anaerobic", "Neuromuscular"],
            "sweet_spot_min": 84, "sweet_spot_max": 97,
            "hr_zones": [137, 150, 157, 164, 169, 174, 185],
            "hr_zone_names": ["Recovery", "Aerobic", "Tempo", "SubThreshold", "SuperThreshold",
                              "Aerobic Capacity", "Anaerobic"],
            "hr_load_type": "HRSS", "load_order": "POWER_HR_PACE",
            "mmp_model": {"type": "FFT_CURVES", "criticalPower": 242, "wPrime": 17500,
                          "pMax": 820, "ftp": 248},
            "created": "2025-02-28T13:30:16.589+00:00",
            "updated": "2026-03-01T08:56:23.068+00:00",
        },
        {
            "id": 1340914, "athlete_id": "i123456", "types": ["Run", "VirtualRun", "TrailRun"],
            "lthr": 170, "max_hr": 190, "threshold_pace": 3.7, "pace_units": "MINS_KM",
            "pace_zones": [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0],
            "pace_zone_names": ["Zone 1", "Zone 2", "Zone 3", "Zone 4", "Zone 5a", "Zone 5b",
                                "Zone 5c"],
            "pace_load_type": "RUN", "gap_model": "STRAVA_RUN",
            "hr_zones": [142, 155, 162, 169, 174, 179, 190], "load_order": "PACE_HR_POWER",
        },
        {
            "id": 1340915, "athlete_id": "i123456", "types": ["Swim", "OpenWaterSwim"],
            "threshold_pace": 1.0, "pace_units": "SECS_100M", "pace_load_type": "SWIM",
            "lthr": 160, "max_hr": 180,
        },
        {   # the settings every other sport falls back to (Intervals.icu's "Other")
            "id": 1340916, "athlete_id": "i123456",
            "types": ["Rowing", "NordicSki", "WeightTraining", "Hike", "Walk", "Other"],
            "lthr": 160, "max_hr": 185, "hr_zones": [130, 145, 152, 159, 164, 169, 185],
            "hr_load_type": "HRSS", "load_order": "HR_POWER_PACE",
        },
    ],
    "custom_items": [],
}  # fmt: skip

SAMPLE_ACTIVITIES: list[dict[str, Any]] = [
    {
        "id": "i150000003", "icu_athlete_id": "i123456", "start_date_local": "2026-03-12T07:05:00",
        "start_date": "2026-03-12T06:05:00Z", "timezone": "Europe/Madrid", "type": "Swim",
        "name": "Pool 2k", "source": "GARMIN_CONNECT", "external_id": "22600000003",
        "file_type": "fit", "distance": 2000.0, "moving_time": 2280, "elapsed_time": 2900,
        "pool_length": 25.0, "lengths": 80, "average_speed": 0.877, "max_speed": 1.21,
        "pace": 0.877, "threshold_pace": 1.0, "has_heartrate": True, "average_heartrate": 132,
        "max_heartrate": 158, "calories": 410, "icu_training_load": 43, "pace_load": 43,
        "pace_load_type": "SWIM", "hr_load": 35, "hr_load_type": "HRSS", "icu_intensity": 87.7,
        "lthr": 160, "icu_resting_hr": 48, "icu_weight": 61.5, "trainer": False, "icu_rpe": 5,
        "feel": 2, "stream_types": ["time", "heartrate", "distance", "velocity_smooth", "cadence"],
        "icu_ctl": 62.87, "icu_atl": 69.31, "created": "2026-03-12T08:10:11.201+00:00",
        "analyzed": "2026-03-12T08:10:11.650+00:00",
    },
    # A Strava import: the API serves only the `Hidden` stub, never type/load.
    {
        "id": "20171057567", "icu_athlete_id": "i123456", "start_date_local": "2026-03-11T12:30:00",
        "source": "STRAVA", "_note": "STRAVA activities are not available via the API",
    },
    {
        "id": "i150000002", "icu_athlete_id": "i123456", "start_date_local": "2026-03-11T18:30:00",
        "start_date": "2026-03-11T17:30:00Z", "timezone": "Europe/Madrid", "type": "Run",
        "name": "Tempo 10k", "source": "GARMIN_CONNECT", "external_id": "22600000002",
        "file_type": "fit", "distance": 10020.0, "icu_distance": 10020.0, "moving_time": 2880,
        "elapsed_time": 2950, "total_elevation_gain": 48.0, "total_elevation_loss": 47.0,
        "average_speed": 3.479, "max_speed": 4.41, "pace": 3.479, "gap": 3.51,
        "gap_model": "STRAVA_RUN", "threshold_pace": 3.7,
        "pace_zones": [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0],
        "pace_zone_times": [300, 420, 2160, 0, 0, 0, 0], "has_heartrate": True,
        "average_heartrate": 158, "max_heartrate": 174,
        "icu_hr_zones": [142, 155, 162, 169, 174, 179, 190],
        "icu_hr_zone_times": [240, 610, 1720, 310, 0, 0, 0], "average_cadence": 86.5,
        "average_stride": 1.2, "calories": 640, "icu_training_load": 71, "pace_load": 71,
        "pace_load_type": "RUN", "hr_load": 68, "hr_load_type": "HRSS", "icu_intensity": 94.0,
        "lthr": 170, "athlete_max_hr": 190, "trimp": 92.4, "icu_warmup_time": 300,
        "icu_cooldown_time": 300, "trainer": False, "icu_rpe": 6, "feel": 2,
        "paired_event_id": 104649834, "compliance": 97.5, "icu_ctl": 63.35, "icu_atl": 73.69,
    },
    {
        "id": "i150000001", "icu_athlete_id": "i123456", "start_date_local": "2026-03-10T09:00:12",
        "start_date": "2026-03-10T08:00:12Z", "timezone": "Europe/Madrid", "type": "Ride",
        "name": "Sweet spot 3x15", "source": "GARMIN_CONNECT", "external_id": "22600000001",
        "file_type": "fit", "device_name": "Garmin Edge 840", "distance": 45200.0,
        "moving_time": 5400, "elapsed_time": 5620, "icu_recording_time": 5480,
        "total_elevation_gain": 410.0, "average_speed": 8.37, "max_speed": 16.2,
        "device_watts": True, "power_meter": "Favero Assioma", "icu_ftp": 250,
        "icu_average_watts": 195, "icu_weighted_avg_watts": 215, "icu_intensity": 86.0,
        "icu_variability_index": 1.103, "icu_joules": 1068600, "icu_joules_above_ftp": 42000,
        "icu_efficiency_factor": 1.49, "icu_power_hr": 1.35, "decoupling": 3.8,
        "icu_training_load": 111, "power_load": 111, "hr_load": 98, "hr_load_type": "HRSS",
        "icu_power_zones": [55, 75, 90, 105, 120, 150, 999],
        "icu_zone_times": [
            {"id": "Z1", "secs": 610}, {"id": "Z2", "secs": 1650}, {"id": "Z3", "secs": 1210},
            {"id": "Z4", "secs": 1830}, {"id": "Z5", "secs": 60}, {"id": "Z6", "secs": 25},
            {"id": "Z7", "secs": 15}, {"id": "SS", "secs": 2650},
        ],
        "has_heartrate": True, "average_heartrate": 144, "max_heartrate": 168,
        "icu_hr_zones": [137, 150, 157, 164, 169, 174, 185],
        "icu_hr_zone_times": [900, 1700, 1900, 800, 100, 0, 0], "average_cadence": 89.2,
        "calories": 1020, "lthr": 165, "icu_resting_hr": 48, "icu_weight": 61.5,
        "trainer": False, "commute": False, "race": False, "icu_rpe": 7, "feel": 2,
        "session_rpe": 630, "icu_rolling_ftp": 251, "icu_rolling_ftp_delta": 0,
        "carbs_used": 210, "interval_summary": ["3x 15m1s 232w", "1x 10m 170w"],
        "stream_types": ["time", "watts", "cadence", "heartrate", "distance", "altitude",
                         "latlng", "velocity_smooth", "temp"],
        "icu_ctl": 63.17, "icu_atl": 74.14, "created": "2026-03-10T10:45:02.117+00:00",
        "analyzed": "2026-03-10T10:45:02.903+00:00",
    },
]  # fmt: skip

SAMPLE_WELLNESS: list[dict[str, Any]] = [
    {
        "id": "2026-03-10", "ctl": 63.17, "atl": 74.14, "rampRate": 3.1, "ctlLoad": 111.0,
        "atlLoad": 111.0,
        "sportInfo": [{"type": "Ride", "eftp": 251.2, "wPrime": 17500.0, "pMax": 820.0}],
        "updated": "2026-03-10T21:02:40.118+00:00", "weight": 61.4, "restingHR": 47,
        "hrv": 72.0, "hrvSDNN": None, "sleepSecs": 27360, "sleepScore": 84.0, "sleepQuality": 2,
        "avgSleepingHR": 51.0, "soreness": 1, "fatigue": 2, "stress": 1, "mood": 2,
        "motivation": 2, "injury": None, "spO2": None, "steps": 9120, "readiness": None,
        "vo2max": None, "comments": None, "kcalConsumed": None, "locked": None,
    },
    {
        "id": "2026-03-11", "ctl": 63.35, "atl": 73.69, "rampRate": 2.9, "ctlLoad": 71.0,
        "atlLoad": 71.0,
        "sportInfo": [{"type": "Ride", "eftp": 251.2, "wPrime": 17500.0, "pMax": 820.0}],
        "updated": "2026-03-11T20:15:09.402+00:00", "weight": 61.6, "restingHR": 49,
        "hrv": 64.0, "sleepSecs": 25200, "sleepScore": 78.0, "sleepQuality": 2,
        "avgSleepingHR": 53.0, "soreness": 2, "fatigue": 2, "stress": 2, "mood": 2,
        "motivation": 2, "steps": 11840,
    },
    {
        "id": "2026-03-12", "ctl": 62.87, "atl": 69.31, "rampRate": 1.8, "ctlLoad": 43.0,
        "atlLoad": 43.0,
        "sportInfo": [{"type": "Ride", "eftp": 250.9, "wPrime": 17480.0, "pMax": 818.0}],
        "updated": "2026-03-12T19:40:55.771+00:00", "weight": 61.3, "restingHR": 48,
        "hrv": 69.0, "sleepSecs": 28800, "sleepScore": 88.0, "sleepQuality": 1,
        "avgSleepingHR": 50.0, "soreness": 1, "fatigue": 1, "stress": 1, "mood": 1,
        "motivation": 1, "steps": 7400,
    },
]  # fmt: skip


# --- Best-effort curves -------------------------------------------------------------------------


def _power_curve(period: str, scale: float) -> dict[str, Any]:
    secs = [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600]
    return {"id": period, "label": period, "secs": secs,
            "values": [round(min(900.0, 240 + 18000 / t) * scale) for t in secs]}


def _pace_curve(period: str, scale: float, metres: list[int], speed: float) -> dict[str, Any]:
    secs = [round(d / (speed * scale * (d / metres[-1]) ** -0.07)) for d in metres]
    return {"id": period, "label": period, "distance": metres, "secs": secs, "values": secs}


def _hr_curve(period: str, top: int) -> dict[str, Any]:
    secs = [5, 60, 300, 1200, 3600]
    return {"id": period, "label": period, "secs": secs,
            "values": [top - round(4 * i) for i in range(len(secs))]}


_PERIODS = {"42d": 0.95, "84d": 0.97, "1y": 1.0, "all": 1.0}
# Best efforts as DataCurveSet lists: power for rides, pace (distance -> seconds) for runs and
# swims, heart rate for every sport (GET …/hr-curves).
SAMPLE_CURVES: dict[str, list[dict[str, Any]]] = {
    "Ride": [_power_curve(p, s) for p, s in _PERIODS.items()],
    "Run": [_pace_curve(p, s, [400, 1000, 1609, 5000, 10000], 3.7) for p, s in _PERIODS.items()],
    "Swim": [_pace_curve(p, s, [100, 200, 400, 800, 1500], 1.0) for p, s in _PERIODS.items()],
}
SAMPLE_HR_CURVES: dict[str, list[dict[str, Any]]] = {
    sport: [_hr_curve(p, top) for p in _PERIODS] for sport, top in
    (("Ride", 182), ("Run", 188), ("Swim", 176))}

