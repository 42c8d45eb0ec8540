"""Proposals: creating and editing them (`create`, pending; sends nothing), checking one before
it is made (`check`), multi-week plans as proposals by week (`plans`), and publishing a
confirmed one (`publish`, the only code that writes to a calendar, at most once). The model's
tools reach `create`, `check` and `plans`, never `publish`: this file imports none of them."""
