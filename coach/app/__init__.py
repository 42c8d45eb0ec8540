"""The one door the pages (`ui/`) and the commands (`coach/cli/`) use: the `Coach` (`session`),
answers running in the background (`answers`), the rows the Fitness and History pages draw
(`rows`) and the Plan page's calendar and plan cards (`plan`)."""
