"""The weekly review: the week read from the store and the commentary found in its
conversation (`week`, given a Scope), its section and figures as text (`text`, pure), and the
Markdown and PDF made of it on this machine (`export`). `coach.app.reviews` stores a review with
its conversation for a Coach."""
