"""The agent: the conversation loop (`loop`), the tools the model may call (`tools`) and what
they say to it (`tool_texts`), the history fitted to the context window (`window`), and tool
calls small models write as text (`textcalls`), everyday asks recognised without a model
(`asks`). Nothing here writes to a calendar."""
