-- Built-in templates (GET /v1/surveys/templates, POST /v1/surveys/templates/{id}/copies): data, not code. A
-- template is shared by every district and never changes through the API; a copy is a new draft survey of the
-- caller's district with the template's questions, which a district admin then edits like any draft. Questions
-- are stored as services/surveys/question.c normalises them (tests/blackbox/surveys/test_surveys_templates.py
-- checks that each validates, copies, opens and is answered). Topics are common PD topics of the product's
-- sources (classroom management, differentiation, assessment literacy, data use, culturally responsive teaching,
-- planning, MTSS, technology, PLCs, engagement). A new template is a new migration inserting a row.
CREATE TABLE templates (
  id          uuid PRIMARY KEY,
  position    integer NOT NULL UNIQUE, -- the list's order
  title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
  purpose     text NOT NULL CHECK (purpose IN ('needs_assessment', 'session_evaluation', 'climate', 'confidence')),
  mode        text NOT NULL CHECK (mode IN ('confidential', 'anonymous')),
  questions   jsonb NOT NULL CHECK (jsonb_typeof(questions) = 'array' AND jsonb_array_length(questions) BETWEEN 1 AND 100),
  version     integer NOT NULL DEFAULT 1
);

CREATE FUNCTION template_json(t templates) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object('id', t.id, 'title', t.title, 'description', t.description, 'purpose', t.purpose,
    'mode', t.mode, 'questions', t.questions, 'version', t.version)
$$;

INSERT INTO templates (id, position, title, description, purpose, mode, questions) VALUES (
  '00000000-0000-4000-8000-000000000001', 1, 'Professional learning needs assessment',
  'Built-in template: how much each educator needs professional learning in common topics (each item tagged with its topic, so needs roll up by topic), and the formats that work for them.',
  'needs_assessment', 'anonymous',
  '[
  {"id": "need_classroom_management", "type": "scale", "prompt": "How much do you need professional learning in: Classroom management: routines, transitions and behaviour?", "required": true, "topic": "classroom management", "labels": ["No need", "Slight need", "Moderate need", "Strong need", "Urgent need"]},
  {"id": "need_differentiation", "type": "scale", "prompt": "How much do you need professional learning in: Differentiation for the range of learners in my classes?", "required": true, "topic": "differentiation", "labels": ["No need", "Slight need", "Moderate need", "Strong need", "Urgent need"]},
  {"id": "need_assessment_literacy", "type": "scale", "prompt": "How much do you need professional learning in: Assessment literacy: designing and using classroom assessment?", "required": true, "topic": "assessment literacy", "labels": ["No need", "Slight need", "Moderate need", "Strong need", "Urgent need"]},
  {"id": "need_data_use", "type": "scale", "prompt": "How much do you need professional learning in: Using student data to plan and adjust instruction?", "required": true, "topic": "using student data", "labels": ["No need", "Slight need", "Moderate need", "Strong need", "Urgent need"]},
  {"id": "need_culturally_responsive", "type": "scale", "prompt": "How much do you need professional learning in: Culturally responsive teaching and inclusive practices?", "required": true, "topic": "culturally responsive teaching", "labels": ["No need", "Slight need", "Moderate need", "Strong need", "Urgent need"]},
  {"id": "need_curriculum_planning", "type": "scale", "prompt": "How much do you need professional learning in: Curriculum, unit and lesson planning?", "required": true, "topic": "curriculum and planning", "labels": ["No need", "Slight need", "Moderate need", "Strong need", "Urgent need"]},
  {"id": "need_mtss", "type": "scale", "prompt": "How much do you need professional learning in: Multi-tiered systems of support and targeted interventions?", "required": true, "topic": "multi-tiered systems of support", "labels": ["No need", "Slight need", "Moderate need", "Strong need", "Urgent need"]},
  {"id": "need_technology", "type": "scale", "prompt": "How much do you need professional learning in: Using technology to support learning?", "required": true, "topic": "instructional technology", "labels": ["No need", "Slight need", "Moderate need", "Strong need", "Urgent need"]},
  {"id": "need_collaboration", "type": "scale", "prompt": "How much do you need professional learning in: Collaborating with colleagues in professional learning communities?", "required": true, "topic": "professional learning communities", "labels": ["No need", "Slight need", "Moderate need", "Strong need", "Urgent need"]},
  {"id": "need_student_engagement", "type": "scale", "prompt": "How much do you need professional learning in: Engaging every student in rigorous work?", "required": true, "topic": "student engagement", "labels": ["No need", "Slight need", "Moderate need", "Strong need", "Urgent need"]},
  {"id": "formats", "type": "multiple_choice", "prompt": "Which formats of professional learning work best for you?", "required": false, "topic": null, "options": ["Workshops", "Coaching", "Professional learning communities", "Online courses", "Peer observation", "Conferences"], "min_picks": 1, "max_picks": 3},
  {"id": "other_needs", "type": "text", "prompt": "Anything else you would like professional learning on?", "required": false, "topic": null, "max_length": 1000}
]');

INSERT INTO templates (id, position, title, description, purpose, mode, questions) VALUES (
  '00000000-0000-4000-8000-000000000002', 2, 'Session evaluation',
  'Built-in template: satisfaction, relevance, intent to apply and a retrospective pre/post confidence item for one professional learning session.',
  'session_evaluation', 'confidential',
  '[
  {"id": "satisfaction", "type": "scale", "prompt": "Overall, I was satisfied with this session.", "required": true, "topic": null, "labels": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]},
  {"id": "relevance", "type": "scale", "prompt": "The content was relevant to my work with students.", "required": true, "topic": null, "labels": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]},
  {"id": "facilitator", "type": "scale", "prompt": "The facilitator was well prepared and responsive.", "required": true, "topic": null, "labels": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]},
  {"id": "intent_to_apply", "type": "scale", "prompt": "I intend to apply what I learned in my practice within the next month.", "required": true, "topic": null, "labels": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]},
  {"id": "confidence", "type": "retrospective", "prompt": "How confident are you in applying this session''s strategies? Rate before this PD and now.", "required": true, "topic": null, "labels": ["Not at all confident", "Slightly confident", "Somewhat confident", "Confident", "Very confident"]},
  {"id": "recommend", "type": "rating", "prompt": "How likely are you to recommend this session to a colleague (0-10)?", "required": true, "topic": null},
  {"id": "most_useful", "type": "text", "prompt": "What was most useful, and what would you change?", "required": false, "topic": null, "max_length": 2000}
]');

