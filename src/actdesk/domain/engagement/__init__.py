"""Life events and referrals as pure logic: the questionnaire and its replies, referral conversion, and who is
most likely to refer. No Qt, no SQLAlchemy; time enters as explicit ``as_of`` arguments."""
