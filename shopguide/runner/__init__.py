"""Starting the assistant: Rasa project files, child processes, orchestration."""
