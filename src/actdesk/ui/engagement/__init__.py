"""Life events and referrals in the window: the card's life-event form, reply drop, brochure approval, and the
Referrals & Events tab of the Campaigns panel."""
