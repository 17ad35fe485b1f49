"""Pages of the monthly assessment (月度考核)."""
