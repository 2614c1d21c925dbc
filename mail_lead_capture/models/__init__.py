from . import mail_capture_block, res_company, res_config_settings, res_users
