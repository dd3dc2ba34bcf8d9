"""The vector store: Chroma collections of garments, one per embedding space."""
