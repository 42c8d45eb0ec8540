"""The weekly review: the week read from the store and stored with the conversation in which
the coach comments on it (`week`), its section and figures as text (`text`, pure), and the
Markdown and PDF made of it on this machine (`export`)."""
