-- How many places of each publication the last offer round saw open. A place not offered to
-- anyone may be chosen by an applicant holding an offer only if no place was added since that
-- round (a place just published or returned waits for the round, which offers it in order).
ALTER TABLE vacancies ADD COLUMN rounded_open INTEGER;
