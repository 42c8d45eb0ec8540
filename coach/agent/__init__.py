"""The agent: the conversation loop (`loop`), the tools the model may call (`tools`) and what
they say to it (`tool_texts`), the history fitted to the context window (`window`), and tool
calls small models write as text (`textcalls`). Nothing here writes to a calendar."""
