-- Runs once, when the postgres service initialises an empty volume: the self-hosted Inngest server
-- keeps its apps, events and run history in a database of its own beside the app's.
CREATE DATABASE inngest;
