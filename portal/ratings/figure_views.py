"""The month's ratings figures (好差评统计), the 公示 PDF on the board and the trend chart."""
