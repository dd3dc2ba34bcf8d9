"""The conversation's logic, kept out of the Rasa actions: language, preferences, questions,
recommendations, refinements and the bilingual wording of replies."""
