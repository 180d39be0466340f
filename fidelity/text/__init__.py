"""Text helpers shared by several stages (sentence splitting, normalisation, scripts)."""
