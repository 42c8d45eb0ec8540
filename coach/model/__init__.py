"""The model: the `ChatModel` protocol and the Ollama client (`client`, the only code that
imports ollama), which model to get for this machine's memory (`choice`), and downloading one
into the athlete's Ollama in the background (`downloads`)."""
