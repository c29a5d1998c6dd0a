"""Life events and referrals as Qt-free services over the book: the questionnaire automation, reading replies,
follow-ups and brochures, "bring a friend" events, referral requests and the dashboard's numbers."""
