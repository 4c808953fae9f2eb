"""What is trending now: hashtags used more than usual, and posts drawing engagement."""
