-- Offers are written by the round alone, thousands at once, from the applications and the
-- vacancies it has just read in its own pass; neither applications nor vacancies are ever
-- deleted. A foreign key checked each of those rows with a query of its own (and a row lock)
-- inside the region's critical section, guarding against nothing that can happen.
ALTER TABLE offers DROP CONSTRAINT offers_application_fkey, DROP CONSTRAINT offers_vacancy_fkey;
