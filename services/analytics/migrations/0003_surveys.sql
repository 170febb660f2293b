-- Analytics: the surveys read models (homegrown.surveys), applied by the same consumer: surveys (a newer
-- version only) and each closed survey's final results (results.finalized, written once: a closed survey never
-- changes). The results are the surveys service's, already suppressed; no answer and no free text is here.

-- Surveys (survey.created / .updated / .opened / .closed).
CREATE TABLE surveys (
  district_id   uuid NOT NULL,
  survey_id     uuid NOT NULL,
  title         text NOT NULL,
  purpose       text NOT NULL,
  mode          text NOT NULL,
  status        text NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
  audience_size integer CHECK (audience_size >= 0),
  opened_at     timestamptz,
  closed_at     timestamptz,
  version       bigint NOT NULL,
  PRIMARY KEY (district_id, survey_id)
);

-- A closed survey's final figures (results.finalized): the response rate's counts, the respondents (null when
-- withheld), satisfaction (% favourable over its scale items), confidence change (mean change over its
-- retrospective items), the score of each shown topic.
CREATE TABLE survey_results (
  district_id       uuid NOT NULL,
  survey_id         uuid NOT NULL,
  closed_at         timestamptz NOT NULL,
  invited           integer NOT NULL CHECK (invited >= 0),
  responded         integer NOT NULL CHECK (responded >= 0),
  respondents       integer CHECK (respondents >= 0),
  satisfaction      numeric(4, 1) CHECK (satisfaction BETWEEN 0 AND 100),
  confidence_change numeric(4, 2) CHECK (confidence_change BETWEEN -4 AND 4),
  topics            jsonb NOT NULL CHECK (jsonb_typeof(topics) = 'object'),
  PRIMARY KEY (district_id, survey_id)
);
CREATE INDEX survey_results_closed ON survey_results (district_id, closed_at);
